import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { decodeMetrics } from './decode-metrics.js';
import {
  bytesField,
  doubleField,
  expectedMetrics,
  fixed64Field,
  jsonMetricsRequest,
  message,
  metricsRequest,
  sdkMetrics,
  varintField,
} from './test-helpers.js';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

describe('decodeMetrics on what the OpenTelemetry SDK sends', () => {
  for (const temporality of [AggregationTemporality.DELTA, AggregationTemporality.CUMULATIVE]) {
    const name = temporality === AggregationTemporality.DELTA ? 'delta' : 'cumulative';

    it(`decodes the protobuf serializer's ${name} export exactly`, async () => {
      const sdk = await sdkMetrics(temporality);
      const body = ProtobufMetricsSerializer.serializeRequest(sdk)!;
      expect(decodeMetrics(body, PROTOBUF)).toEqual(expectedMetrics(sdk));
    });

    it(`decodes the JSON serializer's ${name} export exactly`, async () => {
      const sdk = await sdkMetrics(temporality);
      const body = JsonMetricsSerializer.serializeRequest(sdk)!;
      expect(decodeMetrics(body, JSON_TYPE)).toEqual(expectedMetrics(sdk));
    });
  }

  it('covers every instrument kind, value type and attribute type', async () => {
    const sdk = await sdkMetrics(AggregationTemporality.DELTA);
    const decoded = decodeMetrics(ProtobufMetricsSerializer.serializeRequest(sdk)!, PROTOBUF);
    const metrics = decoded.resourceMetrics[0]!.scopes[0]!.metrics;
    expect(metrics.map((metric) => [metric.name, metric.kind])).toEqual([
      ['headroom.calls', 'sum'],
      ['headroom.tokens', 'sum'],
      ['headroom.calls.active', 'sum'],
      ['headroom.ratelimit.remaining', 'gauge'],
      ['headroom.ratio', 'gauge'],
      ['gen_ai.client.operation.duration', 'histogram'],
    ]);
    const [calls, tokens, active, remaining] = metrics;
    expect(calls).toMatchObject({ temporality: 'delta', monotonic: true, unit: '{call}' });
    expect(tokens!.points[0]).toMatchObject({ value: 1234567 });
    expect(active).toMatchObject({ monotonic: false, points: [{ value: -2.5 }] });
    expect(remaining!.points[0]).toMatchObject({ value: -3 });
    expect(calls!.points[0]!.attributes).toEqual({
      'gen_ai.provider.name': 'openai',
      'headroom.attempts': 3,
      'negative.int': -42,
      'large.int': 2 ** 40,
      ratio: 0.25,
      retried: true,
      finish_reasons: ['stop', 'length'],
      codes: [429, 529],
      flags: [true, false],
      nested: { region: 'eu', limits: { rpm: 500, tiers: ['a', 'b'] } },
      bytes: 'AAH+/w==',
      'headroom.outcome': 'ok',
    });
    const histogram = metrics[5]!;
    expect(histogram.kind === 'histogram' && histogram.points[0]).toMatchObject({
      count: 3,
      sum: 3.05,
      min: 0.05,
      max: 2.5,
      bucketCounts: [0, 1, 1, 1, 0],
      explicitBounds: [0.01, 0.1, 1, 10],
    });
    expect(decoded.resourceMetrics[0]!.resource).toEqual({
      'service.name': 'checkout',
      'service.instance.id': 'replica-7',
      'host.cpu.count': 2,
    });
    expect(decoded.rejected).toBeUndefined();
  });

  it('decodes one request holding many resources (what a collector forwards)', async () => {
    const one = ProtobufMetricsSerializer.serializeRequest(
      await sdkMetrics(AggregationTemporality.DELTA),
    )!;
    // Concatenated protobuf messages merge: their repeated resource_metrics add up.
    const decoded = decodeMetrics(message(one, one, one), PROTOBUF);
    expect(decoded.resourceMetrics).toHaveLength(3);
    expect(decoded.resourceMetrics[2]).toEqual(decoded.resourceMetrics[0]);
  });
});

describe('decodeMetrics on other senders', () => {
  it('accepts snake_case names, enum names, and 64-bit integers as strings or numbers', () => {
    const body = Buffer.from(
      JSON.stringify({
        resource_metrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { string_value: 'api' } }] },
            scope_metrics: [
              {
                scope: { name: 'otelcol', version: '0.100.0' },
                metrics: [
                  {
                    name: 'requests',
                    sum: {
                      aggregation_temporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
                      is_monotonic: true,
                      data_points: [
                        {
                          start_time_unix_nano: '1700000000000000000',
                          time_unix_nano: 1700000001000000000,
                          as_int: '42',
                          attributes: [
                            { key: 'n', value: { int_value: 7 } },
                            { key: 'd', value: { double_value: 'Infinity' } },
                            {
                              key: 'list',
                              value: { array_value: { values: [{ bool_value: false }, {}] } },
                            },
                            {
                              key: 'map',
                              value: {
                                kvlist_value: {
                                  values: [{ key: 'k', value: { bytes_value: 'AQI=' } }],
                                },
                              },
                            },
                          ],
                        },
                      ],
                    },
                  },
                  {
                    name: 'latency',
                    histogram: {
                      aggregationTemporality: 1,
                      dataPoints: [
                        {
                          timeUnixNano: '1700000001500000000',
                          count: '4',
                          sum: 9.5,
                          bucket_counts: ['1', 3],
                          explicit_bounds: [5],
                        },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(decodeMetrics(body, 'Application/JSON; charset=utf-8')).toEqual({
      resourceMetrics: [
        {
          resource: { 'service.name': 'api' },
          scopes: [
            {
              scope: { name: 'otelcol', version: '0.100.0' },
              metrics: [
                {
                  name: 'requests',
                  unit: '',
                  description: '',
                  kind: 'sum',
                  temporality: 'cumulative',
                  monotonic: true,
                  points: [
                    {
                      attributes: {
                        n: 7,
                        d: Number.POSITIVE_INFINITY,
                        list: [false, null],
                        map: { k: 'AQI=' },
                      },
                      startTime: 1700000000000,
                      time: 1700000001000,
                      value: 42,
                    },
                  ],
                },
                {
                  name: 'latency',
                  unit: '',
                  description: '',
                  kind: 'histogram',
                  temporality: 'delta',
                  points: [
                    {
                      attributes: {},
                      startTime: 0,
                      time: 1700000001500,
                      count: 4,
                      sum: 9.5,
                      bucketCounts: [1, 3],
                      explicitBounds: [5],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('keeps times exact to the millisecond where nanoseconds exceed 2^53', () => {
    // 2^53 ns is in 1970; 1_999_999_999_999_999_999 ns rounds up to 2e18 as a double.
    const body = metricsRequest(
      bytesField(1, 'x'),
      bytesField(
        5,
        bytesField(1, message(fixed64Field(3, 1_999_999_999_999_999_999n), doubleField(4, 1))),
      ),
    );
    const metric = decodeMetrics(body, PROTOBUF).resourceMetrics[0]!.scopes[0]!.metrics[0]!;
    expect(metric.points[0]).toMatchObject({ time: 1_999_999_999_999 });
    const json = jsonMetricsRequest({
      name: 'x',
      gauge: { dataPoints: [{ timeUnixNano: '1999999999999999999', asDouble: 1 }] },
    });
    expect(
      decodeMetrics(json, JSON_TYPE).resourceMetrics[0]!.scopes[0]!.metrics[0]!.points[0],
    ).toMatchObject({
      time: 1_999_999_999_999,
    });
  });

  it('accepts unpacked bucket counts and bounds, and negative int64 values', () => {
    const point = message(
      fixed64Field(4, 3),
      fixed64Field(6, 1),
      fixed64Field(6, 2),
      doubleField(7, 2.5),
      bytesField(9, message(bytesField(1, 'big'), bytesField(2, varintField(3, -(2n ** 62n))))),
    );
    const body = metricsRequest(
      bytesField(1, 'h'),
      bytesField(9, message(bytesField(1, point), varintField(2, 2))),
    );
    expect(decodeMetrics(body, PROTOBUF).resourceMetrics[0]!.scopes[0]!.metrics).toEqual([
      {
        name: 'h',
        unit: '',
        description: '',
        kind: 'histogram',
        temporality: 'cumulative',
        points: [
          {
            attributes: { big: -(2 ** 62) },
            startTime: 0,
            time: 0,
            count: 3,
            bucketCounts: [1, 2],
            explicitBounds: [2.5],
          },
        ],
      },
    ]);
  });

  it('skips exponential histograms and summaries, and counts their points as rejected', () => {
    const body = message(
      metricsRequest(
        bytesField(1, 'e'),
        bytesField(10, message(bytesField(1, message()), bytesField(1, message()))),
      ),
      metricsRequest(bytesField(1, 's'), bytesField(11, bytesField(1, message()))),
      metricsRequest(bytesField(1, 'g'), bytesField(5, bytesField(1, doubleField(4, 1)))),
    );
    const decoded = decodeMetrics(body, PROTOBUF);
    expect(
      decoded.resourceMetrics.map((resource) =>
        resource.scopes[0]!.metrics.map((metric) => metric.name),
      ),
    ).toEqual([[], [], ['g']]);
    expect(decoded.rejected).toEqual({
      count: 3,
      message: 'exponential histograms and summaries are not supported: 3 data points skipped',
    });
    const json = jsonMetricsRequest({ name: 'e', exponential_histogram: { dataPoints: [{}, {}] } });
    expect(decodeMetrics(json, JSON_TYPE)).toEqual({
      resourceMetrics: [{ resource: {}, scopes: [{ scope: { name: '' }, metrics: [] }] }],
      rejected: {
        count: 2,
        message: 'exponential histograms are not supported: 2 data points skipped',
      },
    });
  });

  it('drops points flagged as having no recorded value (staleness markers)', () => {
    const body = metricsRequest(
      bytesField(1, 'g'),
      bytesField(5, message(bytesField(1, varintField(8, 1)), bytesField(1, doubleField(4, 2)))),
    );
    expect(decodeMetrics(body, PROTOBUF).resourceMetrics[0]!.scopes[0]!.metrics[0]!.points).toEqual(
      [{ attributes: {}, startTime: 0, time: 0, value: 2 }],
    );
  });

  it('keeps an attribute named __proto__ as data', () => {
    const body = jsonMetricsRequest({
      name: 'g',
      gauge: {
        dataPoints: [{ asInt: 1, attributes: [{ key: '__proto__', value: { stringValue: 'x' } }] }],
      },
    });
    const attributes = decodeMetrics(body, JSON_TYPE).resourceMetrics[0]!.scopes[0]!.metrics[0]!
      .points[0]!.attributes;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.keys(attributes)).toEqual(['__proto__']);
  });
});
