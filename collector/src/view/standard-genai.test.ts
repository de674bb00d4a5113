import { describe, expect, it } from 'vitest';
import type { Attributes, HistogramPoint, Metric, Span } from '../otlp/types.js';
import { isRateLimitError } from './rate-limit-error.js';
import { snapshot } from './snapshot.js';
import { fakeClock } from './test-helpers.js';
import { View } from './view.js';

/** What the official openai instrumentation puts on its points and spans. */
const OFFICIAL: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'server.address': 'api.openai.com',
};

function histogram(
  name: string,
  points: Array<{ attributes: Attributes; count: number; sum: number; startTime: number }>,
  temporality: 'cumulative' | 'delta' = 'cumulative',
): Metric {
  return {
    name,
    unit: '',
    description: '',
    kind: 'histogram',
    temporality,
    points: points.map(
      (point): HistogramPoint => ({
        ...point,
        time: point.startTime + 1,
        bucketCounts: [],
        explicitBounds: [],
      }),
    ),
  };
}

function clientSpan(attributes: Attributes, at: number): Span {
  return {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    name: 'chat gpt-4o-mini',
    kind: 'client',
    startTime: at,
    endTime: at,
    attributes: { ...OFFICIAL, ...attributes },
    status: { code: 'unset' },
  };
}

const resource = (service: string, instance = `${service}-1`) => ({
  'service.name': service,
  'service.instance.id': instance,
});

describe('standard GenAI telemetry in', () => {
  it('reads every rate-limit spelling of error.type as a 429, and nothing else', () => {
    for (const value of [
      '429',
      429,
      'RateLimitError',
      'rate_limit_error',
      'TooManyRequests',
      'ThrottlingException',
      'RESOURCE_EXHAUSTED',
      'rate-limit-exceeded',
    ])
      expect(isRateLimitError(value), String(value)).toBe(true);
    for (const value of [
      '500',
      'APIConnectionError',
      'overloaded_error',
      'InternalServerError',
      undefined,
      'rate',
    ])
      expect(isRateLimitError(value), String(value)).toBe(false);
  });

  it('names keys after the app and endpoint, or a configured attribute, never one `default`', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now, keyAttributes: ['app.key'] });
    const start = clock.now();
    const duration = (attributes: Attributes) =>
      histogram('gen_ai.client.operation.duration', [
        { attributes: { ...OFFICIAL, ...attributes }, count: 2, sum: 1, startTime: start },
      ]);
    const send = (service: string, metric: Metric, extra: Attributes = {}) =>
      view.ingestMetrics({
        resourceMetrics: [
          {
            resource: { ...resource(service), ...extra },
            scopes: [{ scope: { name: 'official' }, metrics: [metric] }],
          },
        ],
      });
    send('billing', duration({}));
    send('support', duration({}));
    send('support', duration({ 'server.address': 'my-resource.openai.azure.com' }), {
      'service.instance.id': 'support-2',
    });
    send('batch', duration({ 'app.key': 'team-a' }));
    send('nightly', duration({}), { 'app.key': 'team-b' });
    expect(snapshot(view).keys.map((key) => [key.key, key.requestsPerMinute])).toEqual([
      ['billing@api.openai.com', 2],
      ['support@api.openai.com', 2],
      ['support@my-resource.openai.azure.com', 2],
      ['team-a', 2],
      ['team-b', 2],
    ]);
  });

  it('spans first, metrics 60 s later: each call counted once, 429s and tokens included', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const start = clock.now();
    const spans = (count: number, attributes: Attributes) =>
      Array.from({ length: count }, () => clientSpan(attributes, clock.now()));
    // Three span exports, 5 s apart, before the replica's first metrics.
    for (let round = 0; round < 3; round++) {
      view.ingestTraces({
        resourceSpans: [
          {
            resource: resource('agent'),
            scopes: [
              {
                scope: { name: '@opentelemetry/instrumentation-openai' },
                spans: [
                  ...spans(4, { 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2 }),
                  ...spans(1, { 'error.type': 'RateLimitError' }),
                ],
              },
            ],
          },
        ],
      });
      clock.advance(5000);
    }
    expect(snapshot(view).keys[0]).toMatchObject({
      requestsPerMinute: 15,
      rateLimitedPerMinute: 3,
      tokensPerMinute: 144,
    });
    clock.advance(45_000);
    // The first metrics, cumulative since the process started: the same 15 calls.
    view.ingestMetrics({
      resourceMetrics: [
        {
          resource: resource('agent'),
          scopes: [
            {
              scope: { name: '@opentelemetry/instrumentation-openai' },
              metrics: [
                histogram('gen_ai.client.operation.duration', [
                  { attributes: OFFICIAL, count: 12, sum: 3, startTime: start },
                  {
                    attributes: { ...OFFICIAL, 'error.type': 'RateLimitError' },
                    count: 3,
                    sum: 1,
                    startTime: start,
                  },
                ]),
                histogram('gen_ai.client.token.usage', [
                  {
                    attributes: { ...OFFICIAL, 'gen_ai.token.type': 'input' },
                    count: 12,
                    sum: 120,
                    startTime: start,
                  },
                  {
                    attributes: { ...OFFICIAL, 'gen_ai.token.type': 'output' },
                    count: 12,
                    sum: 24,
                    startTime: start,
                  },
                ]),
              ],
            },
          ],
        },
      ],
    });
    // Spans of calls the metrics already hold, exported after them, are not counted again.
    view.ingestTraces({
      resourceSpans: [
        {
          resource: resource('agent'),
          scopes: [{ scope: { name: 'other' }, spans: spans(2, {}) }],
        },
      ],
    });
    const key = snapshot(view).keys[0]!;
    expect(key).toMatchObject({
      key: 'agent@api.openai.com',
      requestsPerMinute: 15,
      rateLimitedPerMinute: 3,
      tokensPerMinute: 144,
    });
    expect(key.totals).toEqual({
      requests: 15,
      rateLimited: 3,
      calls: 15,
      inputTokens: 120,
      outputTokens: 24,
    });
    expect(key.replicas.map((share) => share.requestsPerMinute)).toEqual([15]);
  });

  it('the experimental conventions (gen_ai_latest_experimental) count the same: inference duration, usage counters by modality', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const start = clock.now();
    const counter = (name: string, points: Array<{ attributes: Attributes; value: number }>) =>
      ({
        name,
        unit: '{token}',
        description: '',
        kind: 'sum',
        temporality: 'cumulative',
        monotonic: true,
        points: points.map((point) => ({ ...point, startTime: start, time: start + 1 })),
      }) as unknown as Metric;
    const send = (metrics: Metric[]) =>
      view.ingestMetrics({
        resourceMetrics: [
          { resource: resource('agent'), scopes: [{ scope: { name: 'python-app' }, metrics }] },
        ],
      });
    const exportAt = (
      calls: number,
      limited: number,
      text: number,
      image: number,
      output: number,
    ) =>
      send([
        histogram('gen_ai.client.inference.duration', [
          { attributes: OFFICIAL, count: calls, sum: 1, startTime: start },
          {
            attributes: { ...OFFICIAL, 'error.type': 'rate_limit_error' },
            count: limited,
            sum: 1,
            startTime: start,
          },
        ]),
        counter('gen_ai.client.inference.usage.input_tokens', [
          { attributes: { ...OFFICIAL, 'gen_ai.token.modality': 'text' }, value: text },
          { attributes: { ...OFFICIAL, 'gen_ai.token.modality': 'image' }, value: image },
        ]),
        counter('gen_ai.client.inference.usage.output_tokens', [
          { attributes: { ...OFFICIAL, 'gen_ai.token.modality': 'text' }, value: output },
        ]),
      ]);
    exportAt(4, 1, 40, 100, 8);
    clock.advance(10_000);
    exportAt(10, 2, 100, 300, 20);
    const key = snapshot(view).keys[0]!;
    expect(key.key).toBe('agent@api.openai.com');
    expect(key.totals).toEqual({
      requests: 12,
      rateLimited: 2,
      calls: 12,
      inputTokens: 400,
      outputTokens: 20,
    });
    expect(key.rateLimitedPerMinute).toBe(2);
  });

  it('metrics that started before the collector are a baseline: the spans before them stay counted', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    view.ingestTraces({
      resourceSpans: [
        {
          resource: resource('old'),
          scopes: [{ scope: { name: 'other' }, spans: [clientSpan({}, clock.now())] }],
        },
      ],
    });
    clock.advance(10_000);
    view.ingestMetrics({
      resourceMetrics: [
        {
          resource: resource('old'),
          scopes: [
            {
              scope: { name: 'other' },
              metrics: [
                histogram('gen_ai.client.operation.duration', [
                  {
                    attributes: OFFICIAL,
                    count: 500,
                    sum: 100,
                    startTime: clock.now() - 3_600_000,
                  },
                ]),
              ],
            },
          ],
        },
      ],
    });
    expect(snapshot(view).keys[0]!.totals.requests).toBe(1);
  });
});
