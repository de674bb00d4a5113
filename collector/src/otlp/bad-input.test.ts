import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { decodeMetrics } from './decode-metrics.js';
import { decodeTraces } from './decode-traces.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import {
  bytesField,
  doubleField,
  fixed64Field,
  jsonMetricsRequest,
  message,
  metricsRequest,
  sdkMetrics,
  tracesRequest,
  varint,
  varintField,
} from './test-helpers.js';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/** What a decode threw, as the HTTP layer will see it. */
function rejection(decode: () => unknown): { status: number; message: string } {
  try {
    decode();
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    return { status: error.status, message: error.message };
  }
  throw new Error('expected the body to be rejected');
}

const metrics = (body: Uint8Array, contentType = PROTOBUF) =>
  rejection(() => decodeMetrics(body, contentType));
const jsonMetrics = (metric: object) => metrics(jsonMetricsRequest(metric), JSON_TYPE);
const bad = (message: string) => ({ status: 400, message });

/** A gauge `x` with one point made of `fields`. */
const gauge = (...fields: Uint8Array[]) =>
  metricsRequest(bytesField(1, 'x'), bytesField(5, bytesField(1, message(...fields))));
/** A histogram `h` with one point made of `fields`. */
const histogram = (...fields: Uint8Array[]) =>
  metricsRequest(bytesField(1, 'h'), bytesField(9, bytesField(1, message(...fields))));
/** An attribute `key` holding an AnyValue made of `fields`. */
const attribute = (key: string, ...fields: Uint8Array[]) =>
  message(bytesField(1, key), bytesField(2, message(...fields)));
/** A string attribute, as NumberDataPoint field 7. */
const stringAttribute = (key: string, value: string) =>
  bytesField(7, attribute(key, bytesField(1, value)));

/** An AnyValue holding `depth` nested key-value lists around a string. */
function nestedKvlist(depth: number): Uint8Array {
  let value = bytesField(1, 'leaf');
  for (let level = 0; level < depth; level++)
    value = bytesField(6, bytesField(1, attribute('k', value)));
  return value;
}

function nestedJsonKvlist(depth: number): object {
  let value: object = { stringValue: 'leaf' };
  for (let level = 0; level < depth; level++)
    value = { kvlistValue: { values: [{ key: 'k', value }] } };
  return value;
}

describe('malformed protobuf', () => {
  it('rejects a real export cut short', async () => {
    const body = ProtobufMetricsSerializer.serializeRequest(
      await sdkMetrics(AggregationTemporality.DELTA),
    )!;
    const length = body.length - 1 - varint(body.length).length;
    const header = 1 + varint(length).length;
    expect(metrics(body.subarray(0, body.length - 5))).toEqual(
      bad(`truncated protobuf: length ${length} runs past the end at byte ${header}`),
    );
  });

  it('rejects a length that runs past the end', () => {
    expect(metrics(message(varint(0x0a), varint(1000), new Uint8Array(9)))).toEqual(
      bad('truncated protobuf: length 1000 runs past the end at byte 3'),
    );
  });

  it('rejects a varint longer than 10 bytes', () => {
    expect(metrics(Uint8Array.of(0x0a, ...new Array(10).fill(0xff), 0x01))).toEqual(
      bad('malformed protobuf: varint longer than 10 bytes at byte 1'),
    );
  });

  it('rejects a varint cut short', () => {
    expect(metrics(Uint8Array.of(0x0a, 0xff))).toEqual(
      bad('truncated protobuf: varint runs past the end at byte 1'),
    );
  });

  it('rejects a known field with the wrong wire type', () => {
    // Metric.name (field 1) as a varint; the metric's tag is at byte 6 (three nested headers).
    expect(metrics(metricsRequest(varintField(1, 5)))).toEqual(
      bad('malformed protobuf: wrong wire type 0 for Metric field 1 at byte 6'),
    );
  });

  it('rejects a fixed64 field cut short', () => {
    expect(metrics(message(varint(0x11), new Uint8Array(4)))).toEqual(
      bad('truncated protobuf: 8-byte field runs past the end at byte 1'),
    );
  });

  it('rejects a field that overruns its message', () => {
    // A Resource of length 2 whose attribute (tag at byte 4) claims 3 bytes from byte 6.
    expect(metrics(bytesField(1, message(varint(0x0a), varint(2), bytesField(1, 'abc'))))).toEqual(
      bad('truncated protobuf: length 3 runs past the end at byte 6'),
    );
    // Packed bucket counts of 12 bytes (from byte 15): the second count runs past byte 27.
    const packed = message(bytesField(6, new Uint8Array(12)), doubleField(11, 1));
    expect(metrics(histogram(packed))).toEqual(
      bad('malformed protobuf: a field runs past the end of its message at byte 27'),
    );
  });

  it('rejects field number 0 and group wire types', () => {
    expect(metrics(Uint8Array.of(0x02, 0x00))).toEqual(
      bad('malformed protobuf: field number 0 at byte 0'),
    );
    expect(metrics(Uint8Array.of(0x13))).toEqual(
      bad('malformed protobuf: unsupported wire type 3 at byte 0'),
    );
  });
});

describe('values out of bounds', () => {
  it('rejects NaN, as a protobuf double and as the JSON string', () => {
    expect(metrics(gauge(doubleField(4, Number.NaN)))).toEqual(
      bad('metric `x` point 0: value is NaN'),
    );
    expect(jsonMetrics({ name: 'x', gauge: { dataPoints: [{ asDouble: 'NaN' }] } })).toEqual(
      bad('metric `x` point 0: value is NaN'),
    );
  });

  it('rejects Infinity', () => {
    expect(metrics(gauge(doubleField(4, Number.NEGATIVE_INFINITY)))).toEqual(
      bad('metric `x` point 0: value is -Infinity'),
    );
    expect(
      jsonMetrics({ name: 'x', sum: { dataPoints: [{ asDouble: 1 }, { asDouble: 'Infinity' }] } }),
    ).toEqual(bad('metric `x` point 1: value is Infinity'));
  });

  it('rejects a value beyond 1e15', () => {
    expect(metrics(gauge(doubleField(4, 1e300)))).toEqual(
      bad('metric `x` point 0: value 1e+300 exceeds 1e15 in magnitude'),
    );
    expect(
      jsonMetrics({ name: 'x', gauge: { dataPoints: [{ asInt: '-2000000000000000' }] } }),
    ).toEqual(bad('metric `x` point 0: value -2000000000000000 exceeds 1e15 in magnitude'));
    expect(metrics(histogram(doubleField(5, Number.NaN)))).toEqual(
      bad('metric `h` point 0: sum is NaN'),
    );
  });

  it('rejects a negative, fractional or huge count', () => {
    expect(jsonMetrics({ name: 'h', histogram: { dataPoints: [{ count: '-1' }] } })).toEqual(
      bad('metric `h` point 0: count -1 is negative'),
    );
    expect(jsonMetrics({ name: 'h', histogram: { dataPoints: [{ count: 1.5 }] } })).toEqual(
      bad('metric `h` point 0: count must be an integer, got 1.5'),
    );
    expect(metrics(histogram(fixed64Field(4, 2n ** 60n)))).toEqual(
      bad('metric `h` point 0: count 1152921504606847000 exceeds 1e15'),
    );
    expect(
      jsonMetrics({
        name: 'h',
        histogram: { dataPoints: [{ count: 1, bucketCounts: [1, -1], explicitBounds: [1] }] },
      }),
    ).toEqual(bad('metric `h` point 0: bucketCounts[1] -1 is negative'));
  });

  it('rejects bucket counts that do not match the bounds', () => {
    const packedCounts = bytesField(
      6,
      message(fixed64Field(1, 1).subarray(1), fixed64Field(1, 2).subarray(1)),
    );
    const packedBounds = bytesField(
      7,
      message(doubleField(1, 1).subarray(1), doubleField(1, 2).subarray(1)),
    );
    expect(metrics(histogram(packedCounts, packedBounds))).toEqual(
      bad('metric `h` point 0: bucketCounts has 2 entries for 2 explicitBounds (expected 3)'),
    );
    expect(
      jsonMetrics({
        name: 'h',
        histogram: { dataPoints: [{ bucketCounts: [], explicitBounds: [1] }] },
      }),
    ).toEqual(
      bad('metric `h` point 0: bucketCounts has 0 entries for 1 explicitBounds (expected 2)'),
    );
    expect(
      jsonMetrics({
        name: 'h',
        histogram: { dataPoints: [{ bucketCounts: [0, 0, 0], explicitBounds: [2, 1] }] },
      }),
    ).toEqual(bad('metric `h` point 0: explicitBounds[1] 1 is not above the bound before it'));
  });

  it('rejects a packed field whose length is not a whole number of values', () => {
    expect(metrics(histogram(bytesField(6, new Uint8Array(12))))).toEqual(
      bad('truncated protobuf: 8-byte field runs past the end at byte 23'),
    );
  });

  it('rejects a time outside the years 2000..2200', () => {
    expect(metrics(gauge(fixed64Field(3, 5_000_000_000n), doubleField(4, 1)))).toEqual(
      bad(
        'metric `x` point 0: timeUnixNano is outside the years 2000..2200 (5000 ms since the epoch)',
      ),
    );
    expect(
      jsonMetrics({
        name: 'x',
        gauge: { dataPoints: [{ asInt: 1, startTimeUnixNano: '9999999999999999999' }] },
      }),
    ).toEqual(
      bad(
        'metric `x` point 0: startTimeUnixNano is outside the years 2000..2200 (9999999999999 ms since the epoch)',
      ),
    );
  });

  it('rejects a point without a value and a metric without a name', () => {
    expect(metrics(gauge(fixed64Field(3, 0)))).toEqual(
      bad('metric `x` point 0: value is missing (neither asDouble nor asInt)'),
    );
    expect(jsonMetrics({ gauge: { dataPoints: [] } })).toEqual(bad('metric #0: name is missing'));
  });

  it('rejects an unknown temporality', () => {
    expect(metrics(metricsRequest(bytesField(1, 's'), bytesField(7, varintField(2, 7))))).toEqual(
      bad('metric `s`: aggregationTemporality 7 is not 0, 1 or 2'),
    );
  });
});

describe('attributes out of bounds', () => {
  it('accepts 8 levels of nested key-value lists and rejects 9', () => {
    expect(() =>
      decodeMetrics(
        gauge(doubleField(4, 1), bytesField(7, attribute('a', nestedKvlist(8)))),
        PROTOBUF,
      ),
    ).not.toThrow();
    expect(
      metrics(gauge(doubleField(4, 1), bytesField(7, attribute('a', nestedKvlist(9))))),
    ).toEqual(bad('metric `x` point 0: attribute nesting deeper than 8'));
    const point = (depth: number) => ({
      name: 'x',
      gauge: {
        dataPoints: [{ asInt: 1, attributes: [{ key: 'a', value: nestedJsonKvlist(depth) }] }],
      },
    });
    expect(() => decodeMetrics(jsonMetricsRequest(point(8)), JSON_TYPE)).not.toThrow();
    expect(jsonMetrics(point(9))).toEqual(
      bad('metric `x` point 0: attribute nesting deeper than 8'),
    );
  });

  it('rejects a 5000-character key or value', () => {
    const long = 'k'.repeat(5000);
    expect(metrics(gauge(doubleField(4, 1), stringAttribute(long, 'v')))).toEqual(
      bad('metric `x` point 0: attribute key is longer than 4096 characters (5000)'),
    );
    expect(
      jsonMetrics({
        name: 'x',
        gauge: {
          dataPoints: [{ asInt: 1, attributes: [{ key: 'k', value: { stringValue: long } }] }],
        },
      }),
    ).toEqual(bad('metric `x` point 0: attribute value is longer than 4096 characters (5000)'));
    expect(metrics(metricsRequest(bytesField(1, long)))).toEqual(
      bad('metric #0: name is longer than 4096 characters (5000)'),
    );
  });

  it('rejects 200 attributes on a point, and accepts 128', () => {
    const attributes = (count: number) =>
      Array.from({ length: count }, (_, index) => stringAttribute(`k${index}`, 'v'));
    expect(() =>
      decodeMetrics(gauge(doubleField(4, 1), ...attributes(128)), PROTOBUF),
    ).not.toThrow();
    expect(metrics(gauge(doubleField(4, 1), ...attributes(200)))).toEqual(
      bad('metric `x` point 0: more than 128 attributes'),
    );
    const json = Array.from({ length: 200 }, (_, index) => ({
      key: `k${index}`,
      value: { intValue: index },
    }));
    expect(
      jsonMetrics({ name: 'x', gauge: { dataPoints: [{ asInt: 1, attributes: json }] } }),
    ).toEqual(bad('metric `x` point 0: more than 128 attributes'));
  });

  it('names the resource when its attributes are at fault', () => {
    const body = bytesField(
      1,
      bytesField(1, bytesField(1, attribute('a', bytesField(1, 'v'.repeat(4097))))),
    );
    expect(metrics(body)).toEqual(
      bad('resource: attribute value is longer than 4096 characters (4097)'),
    );
  });
});

describe('malformed JSON', () => {
  it('rejects a 100,000-deep array quickly, without a stack overflow', () => {
    const deep = Buffer.from('['.repeat(100_000) + ']'.repeat(100_000));
    const started = performance.now();
    expect(metrics(deep, JSON_TYPE)).toEqual(bad('JSON nesting deeper than 64 at byte 64'));
    const nested = Buffer.from(`{"resourceMetrics":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(metrics(nested, JSON_TYPE)).toEqual(bad('JSON nesting deeper than 64 at byte 82'));
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('does not count brackets inside strings', () => {
    const body = jsonMetricsRequest({
      name: `x${'['.repeat(100)}"\\`,
      gauge: { dataPoints: [{ asInt: 1 }] },
    });
    expect(decodeMetrics(body, JSON_TYPE).resourceMetrics[0]!.scopes[0]!.metrics[0]!.name).toBe(
      `x${'['.repeat(100)}"\\`,
    );
  });

  it('rejects a body that is not a JSON object', () => {
    for (const text of ['[]', '"metrics"', '42', 'null']) {
      expect(metrics(Buffer.from(text), JSON_TYPE)).toEqual(bad('JSON body is not an object'));
    }
    expect(metrics(Buffer.from('{"resourceMetrics":'), JSON_TYPE).message).toMatch(
      /^JSON body is not valid JSON: [^\n]+$/,
    );
  });

  it('rejects a string where a number belongs, and other wrong types', () => {
    expect(jsonMetrics({ name: 'x', gauge: { dataPoints: [{ asDouble: '12' }] } })).toEqual(
      bad('metric `x` point 0: asDouble must be a number, got "12"'),
    );
    expect(jsonMetrics({ name: 'x', gauge: { dataPoints: [{ asInt: '1.5' }] } })).toEqual(
      bad('metric `x` point 0: asInt must be an integer, got "1.5"'),
    );
    expect(
      jsonMetrics({ name: 'x', gauge: { dataPoints: [{ asInt: 1, timeUnixNano: true }] } }),
    ).toEqual(bad('metric `x` point 0: timeUnixNano must be an integer, got true'));
    expect(jsonMetrics({ name: 'x', gauge: { dataPoints: {} } })).toEqual(
      bad('metric `x`: dataPoints must be an array, got an object'),
    );
    expect(jsonMetrics({ name: 7 })).toEqual(bad('metric #0: name must be a string, got 7'));
    const second = {
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'x' }] }] }, 'replica'],
    };
    expect(metrics(Buffer.from(JSON.stringify(second)), JSON_TYPE)).toEqual(
      bad('resourceMetrics must be an object, got "replica"'),
    );
    const scopes = { resourceMetrics: [{ scopeMetrics: [{ metrics: [] }, { metrics: {} }] }] };
    expect(metrics(Buffer.from(JSON.stringify(scopes)), JSON_TYPE)).toEqual(
      bad('scope: metrics must be an array, got an object'),
    );
    expect(jsonMetrics({ name: 'x', sum: { aggregationTemporality: 'DELTA' } })).toEqual(
      bad(
        'metric `x`: aggregationTemporality "DELTA" is not one of 0..2 or AGGREGATION_TEMPORALITY_UNSPECIFIED, AGGREGATION_TEMPORALITY_DELTA, AGGREGATION_TEMPORALITY_CUMULATIVE',
      ),
    );
    expect(
      jsonMetrics({
        name: 'x',
        gauge: {
          dataPoints: [{ asInt: 1, attributes: [{ key: 'k', value: { boolValue: 'yes' } }] }],
        },
      }),
    ).toEqual(bad('metric `x` point 0: boolValue must be a boolean, got "yes"'));
  });
});

describe('bad spans', () => {
  const traces = (body: Uint8Array, contentType = PROTOBUF) =>
    rejection(() => decodeTraces(body, contentType));
  const ids = [bytesField(1, new Uint8Array(16)), bytesField(2, new Uint8Array(8))];

  it('rejects ids of the wrong length, a missing id, an unknown kind or status', () => {
    expect(traces(tracesRequest(bytesField(5, 'GET'), bytesField(1, new Uint8Array(3))))).toEqual(
      bad('span `GET`: traceId is 3 bytes, expected 16'),
    );
    expect(traces(tracesRequest(bytesField(1, new Uint8Array(16))))).toEqual(
      bad('span #0: spanId is missing'),
    );
    expect(traces(tracesRequest(...ids, bytesField(5, 'a'), varintField(6, 9)))).toEqual(
      bad('span `a`: kind 9 is not 0..5'),
    );
    expect(
      traces(tracesRequest(...ids, bytesField(5, 'a'), bytesField(15, varintField(3, 4)))),
    ).toEqual(bad('span `a`: status code 4 is not 0, 1 or 2'));
    const json = Buffer.from(
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'a', traceId: 'xyz', spanId: '00' }] }] }],
      }),
    );
    expect(traces(json, JSON_TYPE)).toEqual(bad('span `a`: traceId is not 16 bytes of hex'));
  });

  it('rejects a span time outside the years 2000..2200', () => {
    expect(traces(tracesRequest(...ids, bytesField(5, 'a'), fixed64Field(8, 2n ** 63n)))).toEqual(
      bad(
        'span `a`: endTimeUnixNano is outside the years 2000..2200 (9223372036854 ms since the epoch)',
      ),
    );
  });
});

describe('content type', () => {
  it('rejects anything but protobuf and JSON with 415', () => {
    expect(metrics(new Uint8Array(), 'text/plain')).toEqual({
      status: 415,
      message:
        'unsupported content type `text/plain`: send application/x-protobuf or application/json',
    });
    expect(rejection(() => decodeTraces(new Uint8Array(), ''))).toEqual({
      status: 415,
      message: 'unsupported content type ``: send application/x-protobuf or application/json',
    });
  });
});
