import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { init } from '@headroom/sdk';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/start-collector.js';
import { json, resources } from './helpers.js';

const open = resources();
afterEach(() => open.close());
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

beforeAll(() => {
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

/** A replica: the real SDK exporting OTLP/protobuf (cumulative) to the collector. */
async function replicaCalls(url: string, instance: string, calls: number) {
  const headroom = init({
    serviceName: 'worker',
    serviceInstanceId: instance,
    collectorUrl: url,
    exportIntervalMillis: 60_000,
    registerGlobals: false,
  });
  for (let index = 0; index < calls; index++) {
    await headroom.trackCall(
      { provider: 'anthropic', model: 'claude-haiku', key: 'team' },
      async (call) => {
        call.usage({ inputTokens: 7, outputTokens: 3 });
      },
    );
  }
  await headroom.shutdown();
}

async function replicaRateLimited(url: string) {
  const headroom = init({
    serviceName: 'worker',
    serviceInstanceId: 'limited',
    collectorUrl: url,
    exportIntervalMillis: 60_000,
    registerGlobals: false,
  });
  await headroom
    .trackCall({ provider: 'openai', model: 'gpt-4o-mini', key: 'prod' }, async () => {
      throw Object.assign(new Error('slow down'), { status: 429 });
    })
    .catch(() => {});
  await headroom.shutdown();
}

/** Polls `check` until it returns a value (the collector evaluates alerts once a second). */
async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the collector');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('collector process', () => {
  it('8 replicas over OTLP/protobuf from the real exporter give exact RPM, TPM and replicas; a restarted one never counts negative or double', async () => {
    const running = await startCollector({ port: 0 });
    open.add(() => running.close());
    // 8 replicas, replica i making i calls; replica-1 then restarts (same instance id, counters
    // from zero with a new start time) and makes 3 more.
    for (let index = 1; index <= 8; index++)
      await replicaCalls(running.url, `replica-${index}`, index);
    await replicaCalls(running.url, 'replica-1', 3);
    const snapshot = await json(fetch(`${running.url}/api/snapshot`));
    expect(snapshot.keys).toHaveLength(1);
    expect(snapshot.keys[0]).toMatchObject({
      key: 'team',
      provider: 'anthropic',
      model: 'claude-haiku',
      requestsPerMinute: 39,
      callsPerMinute: 39,
      inputTokensPerMinute: 7 * 39,
      outputTokensPerMinute: 3 * 39,
      tokensPerMinute: 390,
    });
    expect(
      snapshot.keys[0].replicas.map((share: { instance: string; requestsPerMinute: number }) => [
        share.instance,
        share.requestsPerMinute,
      ]),
    ).toEqual([
      ['replica-1', 4],
      ['replica-2', 2],
      ['replica-3', 3],
      ['replica-4', 4],
      ['replica-5', 5],
      ['replica-6', 6],
      ['replica-7', 7],
      ['replica-8', 8],
    ]);
  });

  it('after kill -9 and a restart, acknowledged ceilings, rules and webhooks are all there', async () => {
    const data = open.directory();
    const start = async () => {
      // The webhook below is on loopback: only the flag lets it be saved.
      const startArguments = ['start', '--port', '0', '--data', data, '--allow-private-webhooks'];
      const child = spawn(process.execPath, [cli, ...startArguments], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HEADROOM_TOKEN: '' },
      });
      open.add(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      });
      let output = '';
      child.stdout!.on('data', (chunk) => {
        output += chunk;
      });
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', () => {
          const match = /listening on (\S+) /.exec(output);
          if (match) resolve(match[1]!);
        });
        child.once('exit', () => reject(new Error(`collector exited: ${output}`)));
      });
      return { child, url };
    };
    const first = await start();
    const send = (path: string, body: unknown) =>
      fetch(`${first.url}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    const ceiling = await json(
      send('/api/ceilings', {
        key: 'prod',
        provider: 'openai',
        model: 'gpt-4o-mini',
        rpm: 500,
        tpm: 200000,
      }),
    );
    const rule = await json(
      send('/api/rules', {
        name: 'tight',
        kind: 'utilization',
        severity: 'warning',
        threshold: 0.7,
      }),
    );
    const webhook = await json(send('/api/webhooks', { url: 'http://127.0.0.1:9/hook' }));
    // A 429 reported by a replica fires the default critical rule within a second or two.
    await replicaRateLimited(first.url);
    const fired = await waitFor(async () => {
      const alerts = await json(fetch(`${first.url}/api/alerts?state=firing`));
      return alerts.history.length > 0 ? alerts.history : undefined;
    });
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const second = await start();
    const list = async (path: string) => json(fetch(`${second.url}${path}`));
    expect(await list('/api/ceilings')).toEqual([ceiling]);
    expect(
      (await list('/api/rules')).filter((item: { id: string }) => item.id === rule.id),
    ).toEqual([rule]);
    expect(
      (await list('/api/rules')).filter((item: { id: string }) => item.id.startsWith('default-')),
    ).toHaveLength(6);
    expect(await list('/api/webhooks')).toEqual([webhook]);
    expect((await list('/api/alerts?state=firing')).history.slice(-fired.length)).toEqual(fired);
  });
});
