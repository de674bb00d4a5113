import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type MockProviderStats, startMockProvider } from '@headroom/mock-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from '../src/start-collector.js';
import { json, resources } from './helpers.js';

const open = resources();
afterEach(() => open.close());

const app = fileURLToPath(new URL('./fixtures/official-openai-app.cjs', import.meta.url));

/** The app as a process; resolves once its spans are flushed, with a function to let it finish. */
function startApp(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, [app], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  open.add(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  const seen = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (output.includes(text) ? resolve() : undefined);
      child.stdout!.on('data', (chunk) => {
        output += chunk;
        check();
      });
      child.stderr!.on('data', (chunk) => {
        output += chunk;
      });
      child.once('exit', (code) =>
        output.includes(text) ? resolve() : reject(new Error(`app exited ${code}: ${output}`)),
      );
      check();
    });
  const flushed = seen('spans flushed');
  return {
    flushed,
    async finish() {
      const done = seen('done ');
      child.stdin!.write('go\n');
      await done;
      return output;
    },
  };
}

describe('an app with only the official openai instrumentation', () => {
  it.each(['protobuf', 'json'] as const)(
    'gets the provider’s own counts per key: requests, 429s and tokens, spans before metrics (%s)',
    async (encoding) => {
      // Two apps on two API keys; `billing` is held to 5 at once, so its fan-out of 40 gets 429s.
      const mock = await startMockProvider({
        port: 0,
        keys: { 'sk-billing': { concurrency: 5 }, 'sk-support': {} },
        latency: { fixedMs: 20 },
      });
      open.add(() => mock.close());
      const running = await startCollector({ port: 0 });
      open.add(() => running.close());
      const apps = [
        startApp({
          COLLECTOR_URL: running.url,
          PROVIDER_URL: mock.url,
          API_KEY: 'sk-billing',
          SERVICE_NAME: 'billing',
          CALLS: '40',
          ENCODING: encoding,
        }),
        startApp({
          COLLECTOR_URL: running.url,
          PROVIDER_URL: mock.url,
          API_KEY: 'sk-support',
          SERVICE_NAME: 'support',
          CALLS: '12',
          ENCODING: encoding,
        }),
      ];
      await Promise.all(apps.map((each) => each.flushed));
      const early = await json(fetch(`${running.url}/api/snapshot`));
      await Promise.all(apps.map((each) => each.finish()));
      const stats = (await json(fetch(`${mock.url}/stats`))) as MockProviderStats;
      const snapshot = await json(fetch(`${running.url}/api/snapshot`));
      const figures = (key: {
        totals: {
          requests: number;
          rateLimited: number;
          inputTokens: number;
          outputTokens: number;
        };
      }) => key.totals;
      const provider = (apiKey: string) => {
        const key = stats.keys[apiKey]!;
        return {
          requests: key.requests,
          rateLimited: key.rateLimited,
          inputTokens: key.tokens.input,
          outputTokens: key.tokens.output,
        };
      };
      const byName = (snapshotValue: { keys: Array<{ key: string }> }, name: string) =>
        snapshotValue.keys.find((key) => key.key === name) as never;
      expect(stats.keys['sk-billing']!.rateLimited).toBeGreaterThan(0);
      // Before the metrics came, the spans were the count; after, the metrics are, and no call twice.
      for (const [name, apiKey] of [
        ['billing', 'sk-billing'],
        ['support', 'sk-support'],
      ] as const) {
        const host = new URL(mock.url).hostname;
        expect({ key: name, ...figures(byName(early, `${name}@${host}`)) }).toMatchObject({
          key: name,
          requests: provider(apiKey).requests,
          rateLimited: provider(apiKey).rateLimited,
        });
        expect({ key: name, ...figures(byName(snapshot, `${name}@${host}`)) }).toEqual({
          key: name,
          calls: provider(apiKey).requests,
          ...provider(apiKey),
        });
      }
      expect(snapshot.keys).toHaveLength(2);
    },
    60_000,
  );
});
