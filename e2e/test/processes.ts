import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The file a package's command runs, from its own `bin`: what `npx <command>` would start. */
export function binOf(packageName: string, command: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    bin: Record<string, string>;
  };
  const bin = manifest.bin[command];
  if (bin === undefined) throw new Error(`${packageName} has no command ${command}`);
  return join(dirname(manifestPath), bin);
}

/** Everything a test starts, stopped in reverse order even when an assertion fails. */
export function resources() {
  const closers: Array<() => unknown> = [];
  return {
    add(closer: () => unknown) {
      closers.push(closer);
    },
    directory(prefix = 'headroom-truth-'): string {
      const directory = mkdtempSync(join(tmpdir(), prefix));
      closers.push(() => rmSync(directory, { recursive: true, force: true }));
      return directory;
    },
    async close() {
      for (const closer of closers.splice(0).reverse()) {
        try {
          await closer();
        } catch {
          // Keep closing the rest.
        }
      }
    },
  };
}

export interface Started {
  url: string;
  child: ChildProcess;
  /** What it printed, stdout and stderr together, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node <script> ...args` and resolves with the URL it prints as `listening on <url>`.
 * It is killed when `stop()` is called; if it exits first, the start fails with its output.
 */
export function startProcess(
  name: string,
  script: string,
  args: string[],
  timeoutMs = 20_000,
): Promise<Started> {
  return startCommand(name, process.execPath, [script, ...args], { timeoutMs });
}

export interface StartCommandOptions {
  cwd?: string;
  /** Merged over this process's environment (with `HEADROOM_TOKEN` emptied). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /**
   * Starts the command as a process group of its own and kills the whole group on `stop()`:
   * for a command such as `npx`, whose server is a grandchild.
   */
  group?: boolean;
  /**
   * For a server that prints no `listening on` line (Prometheus, Alertmanager): its URL, ready
   * once `<ready>/-/ready` answers 200.
   */
  ready?: string;
}

/**
 * `startProcess` for any command: resolves with the URL it prints as `listening on <url>`, or
 * with `ready` once that answers.
 */
export async function startCommand(
  name: string,
  command: string,
  args: string[],
  { cwd, env, timeoutMs = 20_000, group = false, ready }: StartCommandOptions = {},
): Promise<Started> {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HEADROOM_TOKEN: '', ...env },
    ...(cwd === undefined ? {} : { cwd }),
    detached: group,
  });
  let output = '';
  const stop = async () => {
    const running = child.exitCode === null && child.signalCode === null;
    const exited = running ? new Promise((resolve) => child.once('exit', resolve)) : undefined;
    // The group even when its leader is gone: `npx` may have left the server behind.
    if (group && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // No such group: everything in it has exited.
      }
    } else if (running) child.kill('SIGKILL');
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      if (ready !== undefined) void poll(ready, child).then(resolve, reject);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${output}`)));
      setTimeout(
        () => reject(new Error(`${name} did not start in ${timeoutMs} ms: ${output}`)),
        timeoutMs,
      ).unref();
    });
    return { url, child, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with `url` once `url/-/ready` answers 200, for as long as `child` runs. */
async function poll(url: string, child: ChildProcess): Promise<string> {
  while (child.exitCode === null && child.signalCode === null) {
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return url;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return new Promise<string>(() => {});
}

/** `headroom start` on a free port, its SQLite file in `data`, with `args` after. */
export function startCollectorProcess(data: string, args: string[] = []): Promise<Started> {
  return startProcess('collector', binOf('@headroom/collector', 'headroom'), [
    'start',
    '--port',
    '0',
    '--data',
    data,
    ...args,
  ]);
}

/**
 * The mock provider on a free port, with `config` (its keys and organizations) written to
 * `data/provider.json`, answering after `latencyMs` plus up to `jitterMs`.
 */
export function startMockProcess(
  data: string,
  config: unknown,
  { latencyMs, jitterMs }: { latencyMs: number; jitterMs: number },
): Promise<Started> {
  const file = join(data, 'provider.json');
  writeFileSync(file, JSON.stringify(config));
  return startProcess('mock provider', binOf('@headroom/mock-provider', 'headroom-mock-provider'), [
    '--port',
    '0',
    '--latency',
    String(latencyMs),
    '--jitter',
    String(jitterMs),
    '--config',
    file,
  ]);
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
