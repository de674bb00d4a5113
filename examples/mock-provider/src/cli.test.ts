import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const cli = join(packageDirectory, 'dist', 'cli.js');

/** Runs the CLI until it prints its URL; the caller must stop it. */
function startCli(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (data: Buffer) => {
      output += data;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${output}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function runCli(args: string[]): { status: number | null; stderr: string; stdout: string } {
  try {
    const stdout = execFileSync(process.execPath, [cli, ...args], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { status: 0, stderr: '', stdout };
  } catch (error) {
    const failure = error as { status: number | null; stderr: string; stdout: string };
    return { status: failure.status, stderr: failure.stderr, stdout: failure.stdout };
  }
}

describe('CLI', () => {
  beforeAll(() => {
    // The CLI runs as compiled JavaScript, so build it first; tsc is fast enough for one run.
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: packageDirectory });
  }, 120_000);

  it('serves with limits and a script, and stops on SIGTERM', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'mock-provider-'));
    const config = join(directory, 'keys.json');
    writeFileSync(config, JSON.stringify({ keys: { 'sk-small': { rpm: 1 } } }));
    const { child, url } = await startCli([
      '--port',
      '0',
      '--rpm',
      '600',
      '--config',
      config,
      '--script',
      '500,200',
    ]);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const post = (key: string) =>
        fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}` },
          body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
        });
      expect((await post('sk-a')).status).toBe(500);
      const admitted = await post('sk-a');
      expect(admitted.status).toBe(200);
      expect(admitted.headers.get('x-ratelimit-limit-requests')).toBe('600');
      expect((await post('sk-small')).headers.get('x-ratelimit-limit-requests')).toBe('1');
      child.kill('SIGTERM');
      expect(await exitOf(child)).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('stops on SIGINT too', async () => {
    const { child } = await startCli(['--port', '0']);
    try {
      child.kill('SIGINT');
      expect(await exitOf(child)).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('rejects bad flags with one line and exit code 2', () => {
    const cases: Array<[string[], string]> = [
      [['--rpm=-3'], 'Expected `--rpm` to be a positive integer, got -3'],
      [['--tpm', 'lots'], 'Expected `--tpm` to be a positive integer, got NaN'],
      [['--bogus'], "Unknown option '--bogus'"],
      [['--port', '99999'], 'Expected `--port` to be an integer from 0 to 65535, got "99999"'],
      [['--script', '429,302'], 'Expected `--script[1].status` to be 200 or 400–599, got 302'],
      [
        ['--config', '/nonexistent/keys.json'],
        'Cannot read --config /nonexistent/keys.json: ENOENT',
      ],
    ];
    for (const [args, message] of cases) {
      const { status, stderr } = runCli(args);
      expect(status).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(`headroom-mock-provider: ${message}`);
    }
  });

  it('prints help', () => {
    const { status, stdout } = runCli(['--help']);
    expect(status).toBe(0);
    expect(stdout).toContain('--script LIST');
  });
});
