import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

beforeAll(() => {
  // The CLI runs from the build; build it so the test never runs a stale one.
  execFileSync(
    process.execPath,
    [
      fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)),
      '-p',
      'tsconfig.build.json',
    ],
    { cwd: root },
  );
}, 60_000);

/**
 * Starts `headroom` with `args` (and a fresh data directory); resolves with the process and the
 * line that matters: the one that says where it listens, or else the first it printed.
 */
async function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const data = mkdtempSync(join(tmpdir(), 'headroom-cli-'));
  cleanups.push(() => rmSync(data, { recursive: true, force: true }));
  const withData = args[0] === 'start' ? [...args, '--data', data] : args;
  const child = spawn(process.execPath, [cli, ...withData], {
    env: { ...process.env, HEADROOM_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = once(child, 'exit');
  const line = await new Promise<string>((resolve, reject) => {
    const check = (chunk: Buffer) => {
      output += chunk;
      const listening = output.split('\n').find((row) => row.includes('listening on'));
      if (listening) resolve(listening);
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', () =>
      output.includes('\n')
        ? resolve(output.split('\n')[0]!)
        : reject(new Error('exited without output')),
    );
  });
  return { child, line, exited, output: () => output };
}

function stop(child: ChildProcess) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

describe('headroom start', () => {
  it('prints the URL it serves, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const { child, line, exited } = await start(['start', '--port', '0']);
    try {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      expect(url).toBeDefined();
      const health = await (await fetch(`${url}/healthz`)).json();
      expect(health).toMatchObject({ status: 'ok' });
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      stop(child);
    }
  });

  it('--max-series sets the series limit, shown in /healthz', async () => {
    const { child, line } = await start(['start', '--port', '0', '--max-series', '7']);
    try {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      const health = (await (await fetch(`${url}/healthz`)).json()) as {
        limits: { series: number };
        dropped: { series: number };
      };
      expect(health.limits.series).toBe(7);
      expect(health.dropped.series).toBe(0);
    } finally {
      stop(child);
    }
  });

  it('refuses to listen beyond loopback without a token', async () => {
    const { child, line, exited } = await start(['start', '--port', '0', '--host', '0.0.0.0']);
    try {
      expect(line).toBe(
        'headroom: refusing to listen on 0.0.0.0 without a token: pass --token (or HEADROOM_TOKEN), or listen on 127.0.0.1',
      );
      const [code] = await exited;
      expect(code).toBe(1);
    } finally {
      stop(child);
    }
  });

  it('with a token, ingest and the API without it get 401', async () => {
    const { child, line } = await start(['start', '--port', '0', '--token', 'secret-token']);
    try {
      const url = /listening on (\S+) /.exec(line)![1]!;
      expect((await fetch(`${url}/api/snapshot`)).status).toBe(401);
      expect(
        (
          await fetch(`${url}/v1/metrics`, {
            method: 'POST',
            body: '{}',
            headers: { 'content-type': 'application/json' },
          })
        ).status,
      ).toBe(401);
      const ok = await fetch(`${url}/api/snapshot`, {
        headers: { authorization: 'Bearer secret-token' },
      });
      expect(ok.status).toBe(200);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      stop(child);
    }
  });

  it.each([
    [
      ['start', '--port', 'http'],
      'headroom: --port must be an integer from 0 to 65535, got "http"',
    ],
    [['start', '--prot', '1'], "headroom: Unknown option '--prot'"],
    [
      ['start', '--max-series', '0'],
      'headroom: --max-series must be a whole number from 1 up, got "0"',
    ],
    [['serve'], 'headroom: unknown command "serve"'],
    [['rules', '--over', 'grafana'], 'headroom: --over takes sdk or collector, got "grafana"'],
    [
      ['rules', '--interval', 'soon'],
      'headroom: --interval takes a Prometheus duration such as 15s or 1m, got "soon"',
    ],
  ])('bad flags give one line and exit code 2: %j', async (args, message) => {
    const { child, line, exited } = await start(args);
    try {
      expect(line).toBe(message);
      const [code] = await exited;
      expect(code).toBe(2);
    } finally {
      stop(child);
    }
  });

  it('`headroom rules --config` prints the fleet rules of the defaults and the file, with no collector', () => {
    const directory = mkdtempSync(join(tmpdir(), 'headroom-rules-'));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const config = join(directory, 'headroom.yaml');
    writeFileSync(
      config,
      [
        'ceilings:',
        '  - { key: prod, provider: openai, model: "*", rpm: 500 }',
        'rules:',
        '  - { name: Prod near its ceiling, kind: utilization, severity: critical, threshold: 0.9, selector: { key: prod } }',
      ].join('\n'),
    );
    const text = execFileSync(process.execPath, [cli, 'rules', '--config', config], {
      encoding: 'utf8',
    });
    const file = parse(text);
    const [group] = file.groups;
    const alerts = group.rules.filter((rule: { alert?: string }) => rule.alert !== undefined);
    const ceiling = group.rules.find(
      (rule: { record: string; labels?: { dimension?: string } }) =>
        rule.record === 'headroom:ceiling' && rule.labels?.dimension === 'rpm',
    );
    expect(ceiling.expr).toContain('headroom:calls_in_flight{key="prod",provider="openai"} + 500');
    // The six default rules, and the file's.
    expect(alerts).toHaveLength(7);
    expect(alerts.at(-1)).toMatchObject({
      alert: 'HeadroomNearCeiling',
      expr: 'headroom:utilization_ratio{key="prod"} >= 0.9',
      labels: { severity: 'critical' },
    });
    if (spawnSync('promtool', ['--version']).status === 0) {
      const path = join(directory, 'rules.yml');
      writeFileSync(path, text);
      expect(execFileSync('promtool', ['check', 'rules', path], { encoding: 'utf8' })).toContain(
        'SUCCESS',
      );
    }
  });

  it('`headroom rules --config` with a bad file: one line, exit code 1, nothing on stdout', () => {
    const result = spawnSync(
      process.execPath,
      [cli, 'rules', '--config', '/nonexistent/headroom.yaml'],
      {
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^headroom: .*nonexistent\/headroom\.yaml/);
  });
});
