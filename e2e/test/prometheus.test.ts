import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MockProviderStats } from '@headroom/mock-provider';
import { afterEach, describe, expect, it } from 'vitest';
import {
  binOf,
  getJson,
  resources,
  type Started,
  startCommand,
  startMockProcess,
} from './processes.js';

// Prometheus and Alertmanager as a team runs them, past one collector: Debian's `prometheus`
// scrapes four SDK replicas that share one key (no Headroom collector anywhere), loads the rules
// `headroom rules` prints, and alerts through Debian's `prometheus-alertmanager` to a receiver
// here. Every server listens on loopback ports; Alertmanager's cluster port is off.

const has = (command: string) => spawnSync(command, ['--version']).status === 0;
const available = has('prometheus') && has('prometheus-alertmanager');
if (!available) {
  console.warn(
    'prometheus or prometheus-alertmanager not found: `apt-get install prometheus prometheus-alertmanager` to run the Prometheus test',
  );
}

const open = resources();
afterEach(() => open.close());

const here = dirname(fileURLToPath(import.meta.url));
const replicaScript = join(here, '..', 'apps', 'prometheus-replica.mjs');
const API_KEY = 'sk-prometheus-fleet';
const REPLICAS = 4;
/** Per replica: 2 calls a second for 65 s (the fleet's 480 RPM), then up to 15 over 60 s. */
const BASE_RATE = 2;
const PEAK_RATE = 15;
const STEADY_MS = 65_000;
const RAMP_MS = 60_000;
/** The provider's limit (50 a second), and the configured ceiling below it. */
const PROVIDER_RPM = 3000;
const CEILING_RPM = 720;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Notified {
  at: number;
  alertname: string;
  labels: Record<string, string>;
}

async function alertReceiver() {
  const received: Notified[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const at = Date.now();
    const message = JSON.parse(body) as { alerts: Array<{ labels: Record<string, string> }> };
    for (const alert of message.alerts)
      received.push({ at, alertname: alert.labels.alertname ?? '', labels: alert.labels });
    response.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function query(
  prometheus: string,
  expr: string,
): Promise<Array<{ labels: Record<string, string>; value: number }>> {
  const body = await getJson<{
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  }>(`${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return body.data.result.map((sample) => ({
    labels: sample.metric,
    value: Number(sample.value[1]),
  }));
}

describe.skipIf(!available)(
  'Prometheus and Alertmanager over the SDK replicas, no collector',
  () => {
    it('the fleet RPM Prometheus records equals the provider’s count, and the ceiling alert arrives before the first 429', {
      timeout: 300_000,
    }, async () => {
      const data = open.directory('headroom-prometheus-');
      const mock = await startMockProcess(
        data,
        { keys: { [API_KEY]: { rpm: PROVIDER_RPM } } },
        {
          latencyMs: 50,
          jitterMs: 0,
        },
      );
      open.add(mock.stop);

      // The rules, from the CLI, with no collector running.
      const config = join(data, 'headroom.yaml');
      writeFileSync(
        config,
        `ceilings:\n  - { key: fleet, provider: openai, model: gpt-4o-mini, rpm: ${CEILING_RPM} }\n`,
      );
      const rules = execFileSync(
        process.execPath,
        [binOf('@headroom/collector', 'headroom'), 'rules', '--config', config, '--interval', '1s'],
        { encoding: 'utf8' },
      );
      writeFileSync(join(data, 'rules.yml'), rules);

      const receiver = await alertReceiver();
      open.add(receiver.close);
      const alertmanagerPort = await freePort();
      writeFileSync(
        join(data, 'alertmanager.yml'),
        [
          'route:',
          '  receiver: here',
          "  group_by: ['alertname', 'key']",
          '  group_wait: 0s',
          '  group_interval: 1s',
          '  repeat_interval: 1h',
          'receivers:',
          '  - name: here',
          `    webhook_configs: [{ url: '${receiver.url}', send_resolved: false }]`,
        ].join('\n'),
      );

      const startAt = Date.now() + 6000;
      // Each one stopped at the end even when another fails to start.
      const replicas: Started[] = await Promise.all(
        Array.from({ length: REPLICAS }, async (_, index) => {
          const replica = await startCommand(
            `replica ${index}`,
            process.execPath,
            [replicaScript],
            {
              timeoutMs: 30_000,
              env: {
                API_KEY,
                MOCK_URL: mock.url,
                START_AT: String(startAt),
                // The replicas' calls interleave: each sends one each 500 ms, 125 ms after the last.
                PHASE_MS: String((index * 1000) / BASE_RATE / REPLICAS),
                BASE_RATE: String(BASE_RATE),
                PEAK_RATE: String(PEAK_RATE),
                STEADY_MS: String(STEADY_MS),
                RAMP_MS: String(RAMP_MS),
              },
            },
          );
          open.add(replica.stop);
          return replica;
        }),
      );

      const prometheusPort = await freePort();
      const prometheus = `http://127.0.0.1:${prometheusPort}`;
      const alertmanager = `http://127.0.0.1:${alertmanagerPort}`;
      writeFileSync(
        join(data, 'prometheus.yml'),
        [
          'global:',
          '  scrape_interval: 1s',
          '  evaluation_interval: 1s',
          'rule_files: [rules.yml]',
          'alerting:',
          `  alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:${alertmanagerPort}'] }] }]`,
          'scrape_configs:',
          '  - job_name: app',
          `    static_configs: [{ targets: [${replicas.map((replica) => `'${new URL(replica.url).host}'`).join(', ')}] }]`,
        ].join('\n'),
      );
      // Each one stopped at the end even when the other fails to start.
      const server = async (name: string, command: string, args: string[], ready: string) => {
        const started = await startCommand(name, command, args, { ready, timeoutMs: 30_000 });
        open.add(started.stop);
      };
      await Promise.all([
        server(
          'alertmanager',
          'prometheus-alertmanager',
          [
            `--config.file=${join(data, 'alertmanager.yml')}`,
            `--storage.path=${join(data, 'alertmanager')}`,
            `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
            '--cluster.listen-address=',
          ],
          alertmanager,
        ),
        server(
          'prometheus',
          'prometheus',
          [
            `--config.file=${join(data, 'prometheus.yml')}`,
            `--storage.tsdb.path=${join(data, 'prometheus')}`,
            `--web.listen-address=127.0.0.1:${prometheusPort}`,
          ],
          prometheus,
        ),
      ]);

      // The provider's count, each second: what it admitted and refused so far.
      const counted: Array<{ at: number; requests: number }> = [];
      let firstRateLimitedAt: number | null = null;
      const sample = async () => {
        const stats = await getJson<MockProviderStats>(`${mock.url}/stats`);
        const key = stats.keys[API_KEY];
        counted.push({ at: Date.now(), requests: key?.requests ?? 0 });
        firstRateLimitedAt = key?.firstRateLimitedAt ?? null;
      };
      const sampler = setInterval(() => void sample().catch(() => {}), 1000);
      open.add(() => clearInterval(sampler));

      // The steady part: once its minute is all in the rate, the fleet's RPM against the
      // provider's rate over its last minute, per the samples' own times (a busy machine does not
      // sample every 1,000 ms; the rule's value is at most a scrape and an evaluation old).
      await new Promise((resolve) => setTimeout(resolve, startAt + STEADY_MS - 2000 - Date.now()));
      const [rpm] = await query(prometheus, `headroom:requests_per_minute{key="fleet"}`);
      const last = counted.at(-1)!;
      const before = counted.reduce((best, entry) =>
        Math.abs(entry.at - (last.at - 60_000)) < Math.abs(best.at - (last.at - 60_000))
          ? entry
          : best,
      );
      const providerMinute = ((last.requests - before.requests) * 60_000) / (last.at - before.at);
      expect(last.at - before.at).toBeGreaterThan(55_000);
      expect(providerMinute).toBeGreaterThan(400);
      expect(rpm?.labels).toMatchObject({ key: 'fleet', provider: 'openai', model: 'gpt-4o-mini' });
      expect(Math.abs(rpm!.value - providerMinute) / providerMinute).toBeLessThanOrEqual(0.02);
      expect((await query(prometheus, 'headroom:replicas{key="fleet"}'))[0]?.value).toBe(REPLICAS);
      expect(
        (await query(prometheus, 'headroom:ceiling{key="fleet",dimension="rpm"}'))[0]?.value,
      ).toBe(CEILING_RPM);
      expect(receiver.received).toEqual([]);

      // The ramp: the first alert on the key arrives before the provider's first 429.
      const deadline = startAt + STEADY_MS + RAMP_MS + 30_000;
      while (firstRateLimitedAt === null && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 500));
      expect(firstRateLimitedAt).not.toBeNull();
      const first = receiver.received[0];
      const lead = first === undefined ? undefined : firstRateLimitedAt! - first.at;
      console.log(
        `fleet RPM: Prometheus ${rpm!.value.toFixed(1)}, provider ${providerMinute.toFixed(1)}; first alert ${first?.alertname} ${lead === undefined ? 'none' : `${(lead / 1000).toFixed(1)} s`} before the first 429, ${((first?.at ?? 0) - startAt - STEADY_MS) / 1000} s into the ramp`,
      );
      expect(first).toBeDefined();
      expect(['HeadroomNearCeiling', 'HeadroomCeilingSoon']).toContain(first!.alertname);
      expect(first!.labels).toMatchObject({
        key: 'fleet',
        provider: 'openai',
        model: 'gpt-4o-mini',
      });
      expect(lead).toBeGreaterThan(0);
    });
  },
);
