import {
  bytesField,
  doubleField,
  fixed64Field,
  message,
  metricsRequest,
  tracesRequest,
  varint,
  varintField,
} from '../../src/otlp/test-helpers.js';
import { type BadRequest, PROTOBUF_TYPE, post } from './case.js';

const METRICS = '/v1/metrics';
const TRACES = '/v1/traces';
const LEN = 2;
/** 2023-11-14T22:13:20Z in ns. */
const TIME = 1_700_000_000_000_000_000n;

const protobuf = (name: string, path: string, body: Uint8Array, error?: string) =>
  post(`protobuf: ${name}`, path, body, 400, error, PROTOBUF_TYPE);
const name = (text: string) => bytesField(1, text);
/** A KeyValue `k` holding an AnyValue made of `fields`. */
const keyValue = (...fields: Uint8Array[]) => message(name('k'), bytesField(2, message(...fields)));
const gaugePoint = (...fields: Uint8Array[]) =>
  metricsRequest(name('x'), bytesField(5, bytesField(1, message(...fields))));
const histogramPoint = (...fields: Uint8Array[]) =>
  metricsRequest(name('h'), bytesField(9, bytesField(1, message(...fields))));
const withTime = (...fields: Uint8Array[]) =>
  gaugePoint(fixed64Field(3, TIME), doubleField(4, 1), ...fields);
const onResource = (...attributes: Uint8Array[]) =>
  bytesField(1, bytesField(1, message(...attributes.map((attribute) => bytesField(1, attribute)))));
const span = (...fields: Uint8Array[]) =>
  tracesRequest(
    bytesField(1, new Uint8Array(16).fill(1)),
    bytesField(2, new Uint8Array(8).fill(2)),
    fixed64Field(7, TIME),
    fixed64Field(8, TIME),
    ...fields,
  );

/** A field of `wireType` with a payload of that type. */
function fieldOf(field: number, wireType: number): Uint8Array {
  const tag = varint(field * 8 + wireType);
  if (wireType === 0) return message(tag, varint(1));
  if (wireType === 1) return message(tag, new Uint8Array(8));
  if (wireType === 2) return message(tag, varint(1), Uint8Array.of(0x78));
  if (wireType === 5) return message(tag, new Uint8Array(4));
  return tag;
}

/**
 * Each message the decoders read, how to put it in a request, and the wire types of its known
 * fields (opentelemetry/proto; 0 varint, 1 fixed64, 2 length-delimited).
 */
const MESSAGES: Array<
  [string, string, (fields: Uint8Array) => Uint8Array, Record<number, number[]>]
> = [
  ['ExportMetricsServiceRequest', METRICS, (fields) => fields, { 1: [LEN] }],
  ['ResourceMetrics', METRICS, (fields) => bytesField(1, fields), { 1: [LEN], 2: [LEN] }],
  ['Resource', METRICS, (fields) => bytesField(1, bytesField(1, fields)), { 1: [LEN] }],
  ['KeyValue', METRICS, (fields) => onResource(fields), { 1: [LEN], 2: [LEN] }],
  [
    'AnyValue',
    METRICS,
    (fields) => onResource(keyValue(fields)),
    { 1: [LEN], 2: [0], 3: [0], 4: [1], 5: [LEN], 6: [LEN], 7: [LEN] },
  ],
  ['ArrayValue', METRICS, (fields) => onResource(keyValue(bytesField(5, fields))), { 1: [LEN] }],
  ['KeyValueList', METRICS, (fields) => onResource(keyValue(bytesField(6, fields))), { 1: [LEN] }],
  [
    'ScopeMetrics',
    METRICS,
    (fields) => bytesField(1, bytesField(2, fields)),
    { 1: [LEN], 2: [LEN] },
  ],
  [
    'InstrumentationScope',
    METRICS,
    (fields) => bytesField(1, bytesField(2, bytesField(1, fields))),
    { 1: [LEN], 2: [LEN] },
  ],
  [
    'Metric',
    METRICS,
    (fields) => metricsRequest(fields),
    { 1: [LEN], 2: [LEN], 3: [LEN], 5: [LEN], 7: [LEN], 9: [LEN], 10: [LEN], 11: [LEN] },
  ],
  ['Gauge', METRICS, (fields) => metricsRequest(name('x'), bytesField(5, fields)), { 1: [LEN] }],
  [
    'Sum',
    METRICS,
    (fields) => metricsRequest(name('x'), bytesField(7, fields)),
    { 1: [LEN], 2: [0], 3: [0] },
  ],
  [
    'Histogram',
    METRICS,
    (fields) => metricsRequest(name('x'), bytesField(9, fields)),
    { 1: [LEN], 2: [0] },
  ],
  [
    'NumberDataPoint',
    METRICS,
    (fields) => gaugePoint(fields),
    { 2: [1], 3: [1], 4: [1], 6: [1], 7: [LEN], 8: [0] },
  ],
  [
    'HistogramDataPoint',
    METRICS,
    (fields) => histogramPoint(fields),
    {
      2: [1],
      3: [1],
      4: [1],
      5: [1],
      6: [LEN, 1],
      7: [LEN, 1],
      9: [LEN],
      10: [0],
      11: [1],
      12: [1],
    },
  ],
  ['ExportTraceServiceRequest', TRACES, (fields) => fields, { 1: [LEN] }],
  ['ResourceSpans', TRACES, (fields) => bytesField(1, fields), { 1: [LEN], 2: [LEN] }],
  ['ScopeSpans', TRACES, (fields) => bytesField(1, bytesField(2, fields)), { 1: [LEN], 2: [LEN] }],
  [
    'Span',
    TRACES,
    (fields) => tracesRequest(fields),
    { 1: [LEN], 2: [LEN], 4: [LEN], 5: [LEN], 6: [0], 7: [1], 8: [1], 9: [LEN], 15: [LEN] },
  ],
  ['Status', TRACES, (fields) => tracesRequest(bytesField(15, fields)), { 2: [LEN], 3: [0] }],
];

/**
 * Every known field of every message sent with a wire type it does not have: skipping it would
 * lose data silently, so it is refused. The wrong type rotates so that each one is used.
 */
export function wrongWireTypes(): BadRequest[] {
  const cases: BadRequest[] = [];
  let turn = 0;
  for (const [messageName, path, wrap, known] of MESSAGES) {
    for (const [field, types] of Object.entries(known)) {
      const wrong = [0, 1, 2, 5, 3].filter((type) => !types.includes(type));
      const wireType = wrong[turn++ % wrong.length]!;
      const expected = `wrong wire type ${wireType} for ${messageName} field ${field}`;
      cases.push(
        protobuf(
          `${messageName} field ${field} as wire type ${wireType}`,
          path,
          wrap(fieldOf(Number(field), wireType)),
          expected,
        ),
      );
    }
  }
  return cases;
}

/**
 * Real exports cut short at evenly spread offsets. Two exports back to back (as a batching
 * OpenTelemetry Collector forwards them) so that most cuts come after a whole first export has
 * been decoded; the cut between the two would leave a valid request, so it is not used.
 */
export function truncations(metricsExport: Uint8Array, tracesExport: Uint8Array): BadRequest[] {
  const cases: BadRequest[] = [];
  for (const [path, single, cuts] of [
    [METRICS, metricsExport, 30],
    [TRACES, tracesExport, 20],
  ] as const) {
    const body = message(single, single);
    for (let index = 1; index <= cuts; index++) {
      let at = Math.floor((body.length * index) / (cuts + 1));
      if (at === single.length) at++;
      cases.push(
        protobuf(
          `${path} real export cut at byte ${at} of ${body.length}`,
          path,
          body.subarray(0, at),
          'truncated protobuf',
        ),
      );
    }
  }
  return cases;
}

/** Varints, lengths, field numbers and wire types that no encoder writes. */
export function malformed(): BadRequest[] {
  const eleven = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
  const tooLong = 'varint longer than 10 bytes';
  const pad = new Uint8Array(100);
  return [
    protobuf('an 11-byte varint as the first tag', METRICS, eleven, tooLong),
    protobuf('an 11-byte varint as a length', METRICS, message(varint(0x0a), eleven), tooLong),
    protobuf(
      'an 11-byte temporality',
      METRICS,
      metricsRequest(name('s'), bytesField(7, message(varint(0x10), eleven))),
      tooLong,
    ),
    protobuf('an 11-byte int_value', METRICS, onResource(keyValue(varint(0x18), eleven)), tooLong),
    protobuf('an 11-byte span kind', TRACES, span(varint(0x30), eleven), tooLong),
    protobuf('an 11-byte flags', METRICS, gaugePoint(varint(0x40), eleven), tooLong),
    protobuf('a tag cut in its varint', TRACES, Uint8Array.of(0x80), 'varint runs past the end'),
    protobuf(
      'a length cut in its varint',
      METRICS,
      Uint8Array.of(0x0a, 0xff),
      'varint runs past the end',
    ),
    protobuf(
      'a length of 2^35',
      METRICS,
      message(varint(0x0a), varint(2 ** 35), pad),
      'runs past the end',
    ),
    protobuf(
      'resourceMetrics longer than the body',
      METRICS,
      message(varint(0x0a), varint(1000), new Uint8Array(9)),
      'length 1000 runs past the end',
    ),
    // Each inner length overruns the message around it, though the body goes on after it.
    protobuf(
      'scopeMetrics past its resourceMetrics',
      METRICS,
      message(bytesField(1, message(varint(0x12), varint(50), new Uint8Array(3))), pad),
      'length 50 runs past',
    ),
    protobuf(
      'a metric past its scopeMetrics',
      METRICS,
      message(
        bytesField(1, bytesField(2, message(varint(0x12), varint(50), new Uint8Array(3)))),
        pad,
      ),
      'length 50 runs past',
    ),
    protobuf(
      'a point past its gauge',
      METRICS,
      message(
        metricsRequest(
          name('x'),
          bytesField(5, message(varint(0x0a), varint(50), new Uint8Array(3))),
        ),
        pad,
      ),
      'length 50 runs past',
    ),
    protobuf(
      'an attribute past its point',
      METRICS,
      message(gaugePoint(varint(0x3a), varint(50), new Uint8Array(3)), pad),
      'length 50 runs past',
    ),
    protobuf(
      'a key past its KeyValue',
      METRICS,
      message(onResource(message(varint(0x0a), varint(50), Uint8Array.of(0x6b))), pad),
      'length 50 runs past',
    ),
    protobuf(
      'a status past its span',
      TRACES,
      message(span(varint(0x7a), varint(50), new Uint8Array(3)), pad),
      'length 50 runs past',
    ),
    protobuf(
      'packed bucket counts of 12 bytes',
      METRICS,
      histogramPoint(bytesField(6, new Uint8Array(12))),
      'protobuf',
    ),
    protobuf(
      'a time cut after 3 of its 8 bytes',
      METRICS,
      gaugePoint(varint(0x19), Uint8Array.of(1, 2, 3)),
      'runs past the end',
    ),
    protobuf(
      'an end time cut after 5 of its 8 bytes',
      TRACES,
      span(varint(0x41), new Uint8Array(5)),
      '8-byte field runs past the end',
    ),
    ...[0, 1, 2, 5].map((wireType) =>
      protobuf(
        `field 0 of wire type ${wireType} in the request`,
        wireType === 2 ? TRACES : METRICS,
        fieldOf(0, wireType),
        'field number 0',
      ),
    ),
    protobuf(
      'field 0 in a metric',
      METRICS,
      metricsRequest(name('x'), fieldOf(0, 0)),
      'field number 0',
    ),
    protobuf('field 0 in a span', TRACES, span(fieldOf(0, 2)), 'field number 0'),
    protobuf(
      'field 0 in an AnyValue',
      METRICS,
      onResource(keyValue(fieldOf(0, 1))),
      'field number 0',
    ),
    protobuf(
      'a start-group field in the request',
      METRICS,
      fieldOf(2, 3),
      'unsupported wire type 3',
    ),
    protobuf('an end-group field in the request', TRACES, fieldOf(2, 4), 'unsupported wire type 4'),
    protobuf(
      'a start-group field in a metric',
      METRICS,
      metricsRequest(name('x'), fieldOf(20, 3)),
      'unsupported wire type 3',
    ),
    protobuf(
      'an end-group field in a span',
      TRACES,
      span(fieldOf(20, 4)),
      'unsupported wire type 4',
    ),
    protobuf(
      'a start-group field in a KeyValue',
      METRICS,
      onResource(message(name('k'), fieldOf(9, 3))),
      'unsupported wire type 3',
    ),
    protobuf(
      'an end-group field in a status',
      TRACES,
      span(bytesField(15, fieldOf(9, 4))),
      'unsupported wire type 4',
    ),
    protobuf('wire type 6', METRICS, fieldOf(3, 6), 'unsupported wire type 6'),
    protobuf('wire type 7', TRACES, span(fieldOf(21, 7)), 'unsupported wire type 7'),
  ];
}

/** Values the model cannot hold: NaN, absurd numbers and times, bad ids and enums, bounds. */
export function badValues(): BadRequest[] {
  const deep = (depth: number, field: 5 | 6) => {
    let value = bytesField(1, 'leaf');
    for (let level = 0; level < depth; level++)
      value = bytesField(
        field,
        field === 6 ? bytesField(1, keyValue(value)) : bytesField(1, value),
      );
    return value;
  };
  const long = 'x'.repeat(5000);
  return [
    protobuf('value NaN', METRICS, withTime(doubleField(4, Number.NaN)), 'value is NaN'),
    protobuf('value -Infinity', METRICS, withTime(doubleField(4, -Infinity)), 'value is -Infinity'),
    protobuf('as_int -2^63', METRICS, withTime(fixed64Field(6, -(2n ** 63n))), 'exceeds 1e15'),
    protobuf('value 1e16', METRICS, withTime(doubleField(4, 1e16)), 'exceeds 1e15'),
    protobuf(
      'a point without a value',
      METRICS,
      gaugePoint(fixed64Field(3, TIME)),
      'value is missing',
    ),
    protobuf(
      'a metric without a name',
      METRICS,
      metricsRequest(bytesField(5, new Uint8Array())),
      'name is missing',
    ),
    protobuf(
      'time 2^64 - 1 ns',
      METRICS,
      withTime(fixed64Field(3, 2n ** 64n - 1n)),
      'outside the years',
    ),
    protobuf(
      'time in 1999',
      METRICS,
      withTime(fixed64Field(3, 946_684_799_000_000_000n)),
      'outside the years',
    ),
    protobuf('histogram count 2^63', METRICS, histogramPoint(fixed64Field(4, 2n ** 63n)), 'count'),
    protobuf(
      'histogram sum NaN',
      METRICS,
      histogramPoint(
        fixed64Field(4, 1),
        bytesField(6, new Uint8Array(8)),
        doubleField(5, Number.NaN),
      ),
      'sum is NaN',
    ),
    protobuf(
      'histogram bounds not increasing',
      METRICS,
      histogramPoint(bytesField(6, new Uint8Array(24)), doubleField(7, 2), doubleField(7, 1)),
      'not above the bound before it',
    ),
    protobuf(
      'temporality 7',
      METRICS,
      metricsRequest(name('s'), bytesField(7, varintField(2, 7))),
      'aggregationTemporality 7',
    ),
    protobuf('span kind 9', TRACES, span(varintField(6, 9)), 'kind 9 is not 0..5'),
    protobuf('status code 5', TRACES, span(bytesField(15, varintField(3, 5))), 'status code 5'),
    protobuf(
      'traceId of 15 bytes',
      TRACES,
      tracesRequest(bytesField(1, new Uint8Array(15))),
      'traceId is 15 bytes',
    ),
    protobuf(
      'spanId of 9 bytes',
      TRACES,
      span(bytesField(2, new Uint8Array(9))),
      'spanId is 9 bytes',
    ),
    protobuf(
      'a span without a traceId',
      TRACES,
      tracesRequest(bytesField(2, new Uint8Array(8).fill(2))),
      'traceId is missing',
    ),
    protobuf(
      '9 nested key-value lists',
      METRICS,
      onResource(keyValue(deep(9, 6))),
      'attribute nesting deeper than 8',
    ),
    protobuf(
      '9 nested arrays',
      TRACES,
      span(bytesField(9, keyValue(deep(9, 5)))),
      'attribute nesting deeper than 8',
    ),
    protobuf(
      '1000 nested arrays',
      METRICS,
      onResource(keyValue(deep(1000, 5))),
      'attribute nesting deeper than 8',
    ),
    protobuf(
      '129 resource attributes',
      METRICS,
      onResource(...Array.from({ length: 129 }, () => keyValue(bytesField(1, 'v')))),
      'more than 128 attributes',
    ),
    protobuf(
      'a 5000-character attribute key',
      METRICS,
      onResource(message(name(long))),
      'attribute key is longer than 4096',
    ),
    protobuf(
      'a 5000-character metric name',
      METRICS,
      metricsRequest(name(long)),
      'name is longer than 4096',
    ),
    protobuf(
      'a 5000-character span name',
      TRACES,
      span(bytesField(5, long)),
      'name is longer than 4096',
    ),
  ];
}
