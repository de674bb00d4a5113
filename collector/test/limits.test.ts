import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { Collector } from '../src/collector.js';
import { DEFAULT_LIMITS } from '../src/view/limits.js';
import type { Snapshot } from '../src/view/snapshot.js';

/** One OTLP/JSON export of delta request counts, one point per key. */
function requests(instance: string, keys: string[]): string {
  const now = `${Date.UTC(2026, 10, 26, 9, 0, 0) * 1_000_000}`;
  const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [text('service.instance.id', instance)] },
        scopeMetrics: [
          {
            scope: { name: '@headroom/sdk' },
            metrics: [
              {
                name: 'headroom.requests',
                sum: {
                  aggregationTemporality: 1,
                  isMonotonic: true,
                  dataPoints: keys.map((key) => ({
                    attributes: [
                      text('gen_ai.provider.name', 'openai'),
                      text('gen_ai.request.model', 'gpt-4o-mini'),
                      text('headroom.key', key),
                      text('headroom.outcome', 'ok'),
                    ],
                    startTimeUnixNano: now,
                    timeUnixNano: now,
                    asInt: '3',
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  });
}

describe('limits on the wire', () => {
  it('/healthz, /metrics and the snapshot show the limits and what they dropped', async () => {
    const collector = new Collector({ limits: { series: 2 } });
    const app = createApp(collector);
    const response = await app.request('http://localhost/v1/metrics', {
      method: 'POST',
      body: requests('a', ['one', 'two', 'three', 'four', 'five']),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    const health = await (await app.request('http://localhost/healthz')).json();
    expect(health).toMatchObject({
      held: { series: 2, replicas: 1, replicasPerKey: 1, streams: 0 },
      limits: { ...DEFAULT_LIMITS, series: 2 },
      dropped: {
        series: 3,
        nodes: 0,
        graphs: 0,
        replicas: 0,
        replicasPerKey: 0,
        edges: 0,
        streams: 0,
      },
    });
    const text = await (await app.request('http://localhost/metrics')).text();
    expect(text).toContain('# TYPE headroom_series_dropped_total counter\n');
    expect(text).toContain('headroom_series_dropped_total{kind="key"} 3\n');
    expect(text).toContain('headroom_series_dropped_total{kind="stream"} 0\n');
    expect(text).toContain('headroom_series_limit{kind="key"} 2\n');
    const snapshot = (await (
      await app.request('http://localhost/api/snapshot')
    ).json()) as Snapshot;
    expect(snapshot.keys).toHaveLength(2);
    expect(snapshot.dropped.series).toBe(3);
    expect(snapshot.limits.series).toBe(2);
  });
});
