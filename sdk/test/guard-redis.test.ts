import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closedPort, resources, stats } from './mock.js';

const redisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!redisServer) {
  console.warn(
    'redis-server not found: `apt-get install redis-server` to run the fleet-wide guard tests (.ci/run installs it)',
  );
}

const worker = fileURLToPath(new URL('./fixtures/guard-worker.mjs', import.meta.url));
const RPM = 1200;
const REPLICAS = 4;

const open = resources();
afterEach(() => open.close());

/** A real redis-server on a free loopback port, nothing saved to disk; stopped after the test. */
async function startRedis(): Promise<{ url: string; child: ChildProcess }> {
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

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

interface Replica {
  child: ChildProcess;
  stderr: () => string;
  done: Promise<{ succeeded: number; failed: number; errors: string[] }>;
}

function startReplica(env: Record<string, string>): Replica {
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

/** Starts the replicas, waits until each has loaded, then starts them all at once. */
async function fleet(env: Record<string, string>): Promise<Replica[]> {
  const replicas = Array.from({ length: REPLICAS }, () => startReplica(env));
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

describe.skipIf(!redisServer)('guard with Redis: one budget for the fleet', () => {
  it('4 processes on one key at 1200 RPM: the provider refuses nothing, and every call succeeds', async () => {
    const redis = await startRedis();
    const mock = await open.mock({ keys: { 'sk-fleet': { rpm: RPM } }, latency: { fixedMs: 50 } });
    const replicas = await fleet({
      MOCK_URL: mock.url,
      REDIS_URL: redis.url,
      CALLS: '25',
      RPM: String(RPM),
    });
    const results = await Promise.all(replicas.map((replica) => replica.done));
    expect(results.map((result) => result.failed)).toEqual([0, 0, 0, 0]);
    const truth = (await stats(mock)).keys['sk-fleet']!;
    // Each alone would send its 25 at once, 100 in the first second against 20 allowed. The
    // fleet stays under the provider's per-second share, but on the provider's clock: a 429
    // from the jitter between admission and arrival is allowed in a hundred (the bar is 0.5 %).
    expect(truth.admitted).toBe(100);
    expect(truth.rateLimited).toBeLessThanOrEqual(1);
  });

  it('Redis stopped mid-run: each replica says so once, keeps to its share, and every call still succeeds', async () => {
    const redis = await startRedis();
    const mock = await open.mock({ keys: { 'sk-fleet': { rpm: RPM } }, latency: { fixedMs: 50 } });
    const replicas = await fleet({
      MOCK_URL: mock.url,
      REDIS_URL: redis.url,
      CALLS: '40',
      RPM: String(RPM),
    });
    // About 2 s in, with the fleet at its 20 a second: Redis goes.
    const deadline = Date.now() + 20_000;
    while (((await stats(mock)).keys['sk-fleet']?.requests ?? 0) < 40) {
      if (Date.now() > deadline) throw new Error('the fleet never got going');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stop(redis.child);
    const results = await Promise.all(replicas.map((replica) => replica.done));
    expect(results.map((result) => result.failed)).toEqual([0, 0, 0, 0]);
    const truth = (await stats(mock)).keys['sk-fleet']!;
    // The hand-over waits out the second the fleet's budget had used; then the shares hold.
    expect(truth.admitted).toBe(160);
    expect(truth.rateLimited).toBeLessThanOrEqual(1);
    for (const replica of replicas) {
      const said = replica
        .stderr()
        .split('\n')
        .filter((line) => line.includes('is out of reach'));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(
        /^\[headroom\] guard: Redis at redis:\/\/127\.0\.0\.1:\d+ is out of reach.*: each of 4 replicas keeps to 1\/4 of the ceilings until it is back$/,
      );
    }
  });

  it('a budget whose script keeps failing (the connection up) counts as down, says so once, and calls go on', async () => {
    const redis = await startRedis();
    // The admissions key holds a string: every admission script fails with WRONGTYPE.
    const raw = new Redis(redis.url);
    open.add(() => raw.quit());
    await raw.set('headroom:guard:broken:openai:gpt-4o-mini:admissions', 'not a sorted set');
    const warnings: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((line: string) => {
      warnings.push(line);
    });
    open.add(() => warn.mockRestore());
    const mock = await open.mock({ keys: { 'sk-fleet': { rpm: RPM } } });
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: 'sk-fleet', baseURL: `${mock.url}/v1` }),
      { key: 'broken', guard: { rpm: RPM, redis: redis.url } },
    );
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      ),
    );
    expect(answers).toHaveLength(5);
    const said = warnings.filter((line) => line.includes('is out of reach'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('WRONGTYPE');
  });
});
