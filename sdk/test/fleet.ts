import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closedPort, type resources } from './mock.js';

// Replicas of one app on one key, each a real process (test/fixtures/guard-worker.mjs), started
// together; and a real redis-server for the fleet's budget.

const worker = fileURLToPath(new URL('./fixtures/guard-worker.mjs', import.meta.url));

type Resources = ReturnType<typeof resources>;

/** A real redis-server on a free loopback port, nothing saved to disk; stopped after the test. */
export async function startRedis(open: Resources): Promise<{ url: string; child: ChildProcess }> {
  const port = await closedPort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  open.add(() => stop(child));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, child };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

export interface Replica {
  child: ChildProcess;
  stderr: () => string;
  done: Promise<{ succeeded: number; failed: number; errors: string[] }>;
}

function startReplica(open: Resources, env: Record<string, string>): Replica {
  const child = spawn(process.execPath, [worker], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  open.add(() => stop(child));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<Replica['done'] extends Promise<infer T> ? T : never>(
    (resolve, reject) => {
      child.once('close', (code) => {
        try {
          resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
        } catch {
          reject(new Error(`replica exited ${code}: ${stdout}${stderr}`));
        }
      });
    },
  );
  return { child, stderr: () => stderr, done };
}

/**
 * Starts `count` replicas (env: MOCK_URL, CALLS, RPM and REDIS_URL for a configured ceiling in
 * Redis; neither for `guard: true` on its own), waits until each has loaded, then starts them
 * all at once.
 */
export async function fleet(
  open: Resources,
  count: number,
  env: Record<string, string>,
): Promise<Replica[]> {
  const replicas = Array.from({ length: count }, () => startReplica(open, env));
  // Each says when it has loaded (on a busy machine that takes a while, and differs): none starts
  // before all can.
  await Promise.all(
    replicas.map(
      ({ child }) =>
        new Promise<void>((resolve, reject) => {
          child.once('message', () => resolve());
          child.once('exit', (code) =>
            reject(new Error(`replica exited ${code} before it was ready`)),
          );
        }),
    ),
  );
  for (const { child } of replicas) child.send('start');
  return replicas;
}
