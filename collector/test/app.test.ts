import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createApp } from '../src/app.js';
import { Collector } from '../src/collector.js';
import { openStore } from '../src/storage/index.js';
import { fakeClock } from '../src/view/test-helpers.js';
import { json, otlpBody, resources } from './helpers.js';

const open = resources();
afterEach(() => open.close());

/** One replica: `calls` calls through trackCall, each with known tokens, exported once. */
async function replica(instance: string, calls: number, rateLimited: number) {
  const telemetry = open.telemetry({ serviceName: 'worker', serviceInstanceId: instance });
  for (let index = 0; index < calls; index++) {
    await telemetry.headroom.trackCall(
      { provider: 'openai', model: 'gpt-4o-mini', key: 'shared' },
      async (call) => {
        call.usage({ inputTokens: 100, outputTokens: 10 });
      },
    );
  }
  for (let index = 0; index < rateLimited; index++) {
    await telemetry.headroom
      .trackCall({ provider: 'openai', model: 'gpt-4o-mini', key: 'shared' }, async () => {
        throw Object.assign(new Error('slow down'), { status: 429 });
      })
      .catch(() => {});
  }
  await telemetry.collect();
  return telemetry;
}

describe('collector app', () => {
  it.each(['json', 'protobuf'] as const)(
    '8 replicas with known counts give exact RPM, TPM, 429s and replicas (%s)',
    async (encoding) => {
      const collector = new Collector();
      const app = createApp(collector);
      for (let index = 0; index < 8; index++) {
        const telemetry = await replica(`replica-${index}`, index + 1, index % 2);
        const { body, contentType } = otlpBody(telemetry, encoding);
        const response = await app.request('http://localhost/v1/metrics', {
          method: 'POST',
          body,
          headers: { 'content-type': contentType },
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe(contentType);
      }
      const snapshot = await json(app.request('http://localhost/api/snapshot'));
      const calls = 36; // 1 + 2 + … + 8
      const limited = 4;
      expect(snapshot.keys).toHaveLength(1);
      expect(snapshot.keys[0]).toMatchObject({
        key: 'shared',
        provider: 'openai',
        model: 'gpt-4o-mini',
        requestsPerMinute: calls + limited,
        callsPerMinute: calls + limited,
        rateLimitedPerMinute: limited,
        inputTokensPerMinute: 100 * calls,
        outputTokensPerMinute: 10 * calls,
        tokensPerMinute: 110 * calls,
        retryAmplification: 1,
      });
      expect(
        snapshot.keys[0].replicas.map((share: { instance: string; requestsPerMinute: number }) => [
          share.instance,
          share.requestsPerMinute,
        ]),
      ).toEqual(
        Array.from({ length: 8 }, (_, index) => [`replica-${index}`, index + 1 + (index % 2)]),
      );
    },
  );

  it('serves the view as Prometheus text with the design names', async () => {
    const collector = new Collector();
    const app = createApp(collector);
    const { body, contentType } = otlpBody(await replica('a', 3, 1), 'protobuf');
    await app.request('http://localhost/v1/metrics', {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
    const text = await (await app.request('http://localhost/metrics')).text();
    const labels = 'provider="openai",model="gpt-4o-mini",key="shared"';
    expect(text).toContain(`headroom_requests_per_minute{${labels}} 4\n`);
    expect(text).toContain(`headroom_tokens_per_minute{${labels}} 330\n`);
    expect(text).toContain(`headroom_rate_limited_per_minute{${labels}} 1\n`);
    expect(text).toContain(`headroom_replicas{${labels}} 1\n`);
    expect(text).toContain('# TYPE headroom_active_calls gauge\n');
    expect(text).toContain('# TYPE headroom_requests_total counter\n');
    expect(text).toContain(`headroom_requests_total{${labels}} 4\n`);
    expect(text).toContain(`headroom_rate_limited_total{${labels}} 1\n`);
    expect(text).toContain(`headroom_calls_total{${labels}} 4\n`);
    expect(text).toContain(`headroom_tokens_total{${labels},type="input"} 300\n`);
    expect(text).toContain(`headroom_tokens_total{${labels},type="output"} 30\n`);
  });

  it('serves the rules for Prometheus: over the replicas’ metrics by default, over /metrics on request', async () => {
    const app = createApp(new Collector());
    const fleet = await app.request('http://localhost/api/prometheus-rules');
    expect(fleet.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    const fleetText = await fleet.text();
    expect(fleetText).toContain('name: headroom-fleet');
    expect(fleetText).toContain('rate(headroom_requests_total[1m])');
    const own = await (
      await app.request('http://localhost/api/prometheus-rules?over=collector')
    ).text();
    // A collector with no store holds no rules: one empty group.
    expect(parse(own)).toEqual({ groups: [{ name: 'headroom', rules: [] }] });
    const bad = await app.request('http://localhost/api/prometheus-rules?over=grafana');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'Expected `over` to be `sdk` or `collector`, got "grafana"',
    });
  });

  it('ceilings: created, listed, used by the view, validated, conflicting, deleted, and kept on disk', async () => {
    const directory = open.directory();
    let store = openStore(directory);
    let collector = new Collector({ store });
    let app = createApp(collector);
    const post = (path: string, body: unknown) =>
      app.request(`http://localhost${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    const created = await post('/api/ceilings', {
      key: 'shared',
      provider: 'openai',
      model: '*',
      rpm: 10,
    });
    expect(created.status).toBe(201);
    const ceiling = await json(created);
    expect(ceiling).toMatchObject({ key: 'shared', provider: 'openai', model: '*', rpm: 10 });
    const bad = await post('/api/ceilings', { key: 'x', provider: 'openai', model: 'm', rpm: -3 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'Expected `rpm` to be a positive integer, got -3' });
    const conflict = await post('/api/ceilings', {
      key: 'shared',
      provider: 'openai',
      model: '*',
      tpm: 5,
    });
    expect(conflict.status).toBe(409);
    const { body, contentType } = otlpBody(await replica('a', 4, 0), 'json');
    await app.request('http://localhost/v1/metrics', {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
    const key = (await json(app.request('http://localhost/api/snapshot'))).keys[0];
    expect(key.ceilings).toEqual({ rpm: { value: 10, source: 'configured' } });
    expect(key.utilization).toEqual({ rpm: 0.4, burst: 24 });
    store.close();
    store = openStore(directory);
    collector = new Collector({ store });
    app = createApp(collector);
    expect(await json(app.request('http://localhost/api/ceilings'))).toEqual([ceiling]);
    expect(
      (await app.request(`http://localhost/api/ceilings/${ceiling.id}`, { method: 'DELETE' }))
        .status,
    ).toBe(204);
    expect((await app.request(`http://localhost/api/ceilings/${ceiling.id}`)).status).toBe(404);
    store.close();
  });

  it('history: chart-ready columns for the requested seconds', async () => {
    const collector = new Collector();
    const app = createApp(collector);
    const { body, contentType } = otlpBody(await replica('a', 2, 0), 'json');
    await app.request('http://localhost/v1/metrics', {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
    const history = await json(app.request('http://localhost/api/history?seconds=5'));
    expect(history.seconds).toHaveLength(5);
    expect(history.keys['shared|openai|gpt-4o-mini'].requestsPerMinute).toEqual([0, 0, 0, 0, 2]);
    expect((await app.request('http://localhost/api/history?seconds=7200')).status).toBe(400);
  });

  it('live: Server-Sent Events frames with the snapshot and history, ids by second, resumable', async () => {
    // A frozen clock: the frame's second and the one checked below cannot straddle a tick.
    const clock = fakeClock(Date.now());
    const collector = new Collector({ now: clock.now });
    const app = createApp(collector, { live: { intervalMs: 10 } });
    const { body, contentType } = otlpBody(await replica('a', 2, 0), 'json');
    await app.request('http://localhost/v1/metrics', {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
    const abort = new AbortController();
    const response = await app.request('http://localhost/api/live', {
      signal: abort.signal,
      headers: { 'last-event-id': String(collector.view.second() - 2) },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    await reader.cancel();
    const frame = /^event: snapshot\ndata: (.*)\nid: (\d+)\n\n/.exec(text);
    expect(frame).not.toBeNull();
    expect(Number(frame![2])).toBe(collector.view.second());
    const data = JSON.parse(frame![1]!);
    expect(data.snapshot.keys[0].requestsPerMinute).toBe(2);
    expect(data.history.seconds).toHaveLength(3);
  });
});
