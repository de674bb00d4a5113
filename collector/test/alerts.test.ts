import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { Collector } from '../src/collector.js';
import { defaultRules } from '../src/config/index.js';
import { openStore } from '../src/storage/index.js';
import { fakeClock, OPENAI_KEY, point, replicaExport, sum } from '../src/view/test-helpers.js';
import { json, rampAgainstCeiling, resources, storeWithCeiling } from './helpers.js';

const open = resources();
afterEach(() => open.close());

const RPM = 600;
const ok = { ...OPENAI_KEY, 'headroom.outcome': 'ok' };
const limited = { ...OPENAI_KEY, 'headroom.outcome': 'rate_limited' };

describe('alerts', () => {
  it('a ramp: the utilization warning fires before the first 429, and resolves after the ramp ends', () => {
    const clock = fakeClock();
    const started = clock.now();
    const store = storeWithCeiling(open.directory(), clock.now(), RPM);
    open.add(() => store.close());
    const collector = new Collector({ now: clock.now, store });
    let firstFiring: number | undefined;
    let lastResolved: number | undefined;
    // One more request per second every 6 s up to 12/s, then back to zero at second 100.
    const first429At = rampAgainstCeiling(collector, clock, {
      rpm: RPM,
      seconds: 200,
      offered: (second) => (second < 100 ? Math.min(12, Math.floor(second / 6)) : 0),
      each: (second, transitions) => {
        for (const transition of transitions) {
          if (transition.ruleId !== 'default-utilization-warning') continue;
          if (transition.state === 'firing') firstFiring ??= second;
          if (transition.state === 'resolved') lastResolved = second;
        }
      },
    });
    const first429 = (first429At! - started) / 1000;
    expect(first429).toBe(66);
    expect(firstFiring).toBeDefined();
    expect(firstFiring!).toBeLessThan(first429!);
    expect(lastResolved).toBeDefined();
    expect(lastResolved!).toBeGreaterThan(100);
    expect(collector.activeAlerts()).toEqual([]);
    const history = store.listTransitions({ ruleId: 'default-utilization-warning', limit: 1000 });
    expect(history.map((transition) => transition.state).reverse()).toEqual(
      expect.arrayContaining(['pending', 'firing', 'resolved']),
    );
    const firing = history.find((transition) => transition.state === 'firing')!;
    expect(firing.diagnosis).toMatchObject({
      cause: expect.any(String),
      fix: { text: expect.any(String) },
    });
  });

  it('a firing alert opens an incident, delivered to a webhook after its group wait, and listed by /api/alerts', async () => {
    const received: unknown[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    open.add(() => new Promise((resolve) => receiver.close(resolve)));
    const clock = fakeClock();
    const store = openStore(open.directory());
    open.add(() => store.close());
    for (const rule of defaultRules(clock.now())) store.putRule(rule);
    store.putWebhook({
      id: 'hook',
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      severities: [],
      enabled: true,
      updatedAt: clock.now(),
    });
    // The receiver is on loopback: only the explicit option lets a webhook reach it.
    const collector = new Collector({ now: clock.now, store, allowPrivateWebhooks: true });
    collector.view.ingestMetrics(
      replicaExport('replica', [
        sum('headroom.requests', [point(limited, 3, clock.now())], 'delta'),
      ]),
    );
    const transitions = collector.evaluate();
    expect(transitions.map((transition) => [transition.ruleId, transition.state])).toEqual([
      ['default-rate-limited-critical', 'pending'],
      ['default-rate-limited-critical', 'firing'],
    ]);
    await collector.idle();
    // The default group wait is 10 s: nothing yet, then one message with the incident.
    expect(received).toEqual([]);
    clock.advance(9000);
    collector.evaluate();
    await collector.idle();
    expect(received).toEqual([]);
    clock.advance(1000);
    collector.evaluate();
    await collector.idle();
    expect(received).toHaveLength(1);
    expect((received[0] as { text: string }).text).toMatch(
      /^\[INCIDENT\] critical incident on prod\/openai\/gpt-4o-mini: /,
    );
    const app = createApp(collector);
    const alerts = await json(app.request('http://localhost/api/alerts'));
    expect(alerts.active).toMatchObject([
      { ruleId: 'default-rate-limited-critical', state: 'firing', severity: 'critical', value: 3 },
    ]);
    expect(alerts.history.map((transition: { state: string }) => transition.state)).toEqual([
      'firing',
      'pending',
    ]);
    expect((await app.request('http://localhost/api/alerts?state=burning')).status).toBe(400);
    const text = await (await app.request('http://localhost/metrics')).text();
    expect(text).toContain(
      'headroom_alerts_firing{rule="default-rate-limited-critical",severity="critical"} 1\n',
    );
  });

  it('writes minutes that ended as rollups, and serves them as 1-minute history', async () => {
    const clock = fakeClock(Date.UTC(2026, 10, 26, 9, 0, 30));
    const store = openStore(open.directory());
    open.add(() => store.close());
    const collector = new Collector({ now: clock.now, store });
    collector.view.ingestMetrics(
      replicaExport('replica', [sum('headroom.requests', [point(ok, 5, clock.now())], 'delta')]),
    );
    expect(collector.rollup()).toEqual([]);
    clock.advance(60_000);
    const rows = collector.rollup();
    expect(rows).toEqual([
      {
        minute: Date.UTC(2026, 10, 26, 9, 0, 0),
        key: 'prod',
        provider: 'openai',
        model: 'gpt-4o-mini',
        requests: 5,
        rateLimited: 0,
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        peakActive: 0,
        replicas: 1,
      },
    ]);
    expect(store.queryRollups({ from: 0, to: Date.UTC(2030, 0) })).toEqual(rows);
    const history = await json(
      createApp(collector).request('http://localhost/api/history?minutes=3'),
    );
    const minute = Date.UTC(2026, 10, 26, 9, 0, 0) / 1000;
    expect(history.resolutionSeconds).toBe(60);
    expect(history.seconds).toEqual([minute - 120, minute - 60, minute]);
    expect(history.keys['prod|openai|gpt-4o-mini'].requestsPerMinute).toEqual([0, 0, 5]);
  });
});
