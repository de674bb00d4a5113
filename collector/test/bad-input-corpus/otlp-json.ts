import { type BadRequest, post } from './case.js';

const METRICS = '/v1/metrics';
const TRACES = '/v1/traces';
/** 2023-11-14T22:13:20Z in ns, a valid time for points and spans. */
const TIME = '1700000000000000000';

const metricsBody = (...metrics: object[]) =>
  JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics }] }] });
const gauge = (point: object) =>
  metricsBody({
    name: 'x',
    gauge: { dataPoints: [{ timeUnixNano: TIME, asDouble: 1, ...point }] },
  });
const histogram = (point: object) =>
  metricsBody({
    name: 'h',
    histogram: {
      aggregationTemporality: 2,
      dataPoints: [
        {
          timeUnixNano: TIME,
          count: 2,
          sum: 3,
          bucketCounts: [1, 1],
          explicitBounds: [1],
          ...point,
        },
      ],
    },
  });
const span = (fields: object) =>
  JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: '0af7651916cd43dd8448eb211c80319c',
                spanId: 'b7ad6b7169203331',
                name: 's',
                startTimeUnixNano: TIME,
                endTimeUnixNano: TIME,
                ...fields,
              },
            ],
          },
        ],
      },
    ],
  });
const withAttributes = (attributes: object[]) => gauge({ attributes });
const stringAttribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
const many = (count: number) =>
  Array.from({ length: count }, (_, index) => stringAttribute(`k${index}`, 'v'));

/** An AnyValue holding `depth` key-value lists (or arrays) around a string. */
function nested(depth: number, kind: 'kvlistValue' | 'arrayValue'): object {
  let value: object = { stringValue: 'leaf' };
  for (let level = 0; level < depth; level++) {
    value =
      kind === 'kvlistValue'
        ? { kvlistValue: { values: [{ key: 'k', value }] } }
        : { arrayValue: { values: [value] } };
  }
  return value;
}

/** Syntax errors, bodies that are not an object, and a real export cut at many offsets. */
export function jsonSyntax(metricsExport: string, tracesExport: string): BadRequest[] {
  const cases: BadRequest[] = [];
  const syntax: Array<[string, string]> = [
    ['empty body', ''],
    ['only whitespace', ' \n\t '],
    ['trailing comma', '{"resourceMetrics":[],}'],
    ['single quotes', "{'resourceMetrics':[]}"],
    ['unquoted key', '{resourceMetrics:[]}'],
    ['a comment', '{/* c */"resourceMetrics":[]}'],
    ['two objects', '{}{}'],
    ['text after the object', '{} x'],
    ['text before the object', 'x{}'],
    ['an unterminated string', '{"resourceMetrics":"'],
    ['a bad escape', '{"resourceMetrics":"\\x41"}'],
    ['a raw control character in a string', '{"resourceMetrics":"a\u0001b"}'],
    ['a hex number', '{"resourceMetrics":0x10}'],
    ['a number with a leading zero', '{"resourceMetrics":01}'],
    ['a NaN literal', gauge({ asDouble: 1 }).replace('"asDouble":1', '"asDouble":NaN')],
    ['an Infinity literal', gauge({ asDouble: 1 }).replace('"asDouble":1', '"asDouble":Infinity')],
    ['unbalanced brackets', '{"resourceMetrics":[}'],
  ];
  for (const [name, body] of syntax) {
    cases.push(post(`metrics: ${name}`, METRICS, body, 400, 'JSON body is not valid JSON'));
  }
  cases.push(post('traces: an unterminated array', TRACES, '{"resourceSpans":[', 400, 'JSON'));
  for (const body of ['null', 'true', '42', '"text"', '[]', '[{}]']) {
    cases.push(post(`metrics: body ${body}`, METRICS, body, 400, 'JSON body is not an object'));
  }
  cases.push(post('traces: body []', TRACES, '[]', 400, 'JSON body is not an object'));
  // Every cut of a JSON object before its last byte is invalid JSON.
  for (const [path, text, cuts] of [
    [METRICS, metricsExport, 16],
    [TRACES, tracesExport, 10],
  ] as const) {
    for (let index = 1; index <= cuts; index++) {
      const at = Math.floor((text.length * index) / (cuts + 1));
      cases.push(post(`${path} real export cut at byte ${at}`, path, text.slice(0, at), 400));
    }
  }
  return cases;
}

/** NaN, infinities, absurd numbers and times, bad ids, enum values out of range. */
export function jsonNumbers(): BadRequest[] {
  const value = (name: string, body: string, error: string) =>
    post(name, METRICS, body, 400, error);
  return [
    value('asDouble "NaN"', gauge({ asDouble: 'NaN' }), 'value is NaN'),
    value('asDouble "Infinity"', gauge({ asDouble: 'Infinity' }), 'value is Infinity'),
    value('asDouble "-Infinity"', gauge({ asDouble: '-Infinity' }), 'value is -Infinity'),
    value('asDouble 1e16', gauge({ asDouble: 1e16 }), 'exceeds 1e15'),
    value('asDouble -1e300', gauge({ asDouble: -1e300 }), 'exceeds 1e15'),
    value('asDouble 1.7e308', gauge({ asDouble: 1.7e308 }), 'exceeds 1e15'),
    value('asInt 2^53 + 1', gauge({ asDouble: undefined, asInt: '9007199254740993' }), 'exceeds'),
    value(
      'asInt -10^20',
      gauge({ asDouble: undefined, asInt: '-100000000000000000000' }),
      'exceeds',
    ),
    value('asInt "1e3"', gauge({ asDouble: undefined, asInt: '1e3' }), 'must be an integer'),
    value('no value', gauge({ asDouble: undefined }), 'value is missing'),
    value('flags "x"', gauge({ flags: 'x' }), 'flags must be an integer'),
    value('a metric without a name', metricsBody({ gauge: { dataPoints: [] } }), 'name is missing'),
    value('histogram count -1', histogram({ count: -1 }), 'count -1 is negative'),
    value('histogram count 1e16', histogram({ count: 1e16 }), 'count 10000000000000000 exceeds'),
    value('histogram sum "NaN"', histogram({ sum: 'NaN' }), 'sum is NaN'),
    value('histogram min "Infinity"', histogram({ min: 'Infinity' }), 'min is Infinity'),
    value('histogram max -1e300', histogram({ max: -1e300 }), 'max'),
    value('histogram bound "NaN"', histogram({ explicitBounds: ['NaN'] }), 'explicitBounds[0]'),
    value(
      'histogram bounds not increasing',
      histogram({ bucketCounts: [1, 1, 0], explicitBounds: [2, 1] }),
      'explicitBounds[1] 1 is not above',
    ),
    value('histogram negative bucket', histogram({ bucketCounts: [1, -1] }), 'bucketCounts[1]'),
    value(
      'histogram 2 buckets for 3 bounds',
      histogram({ explicitBounds: [1, 2, 3] }),
      'bucketCounts has 2 entries for 3 explicitBounds',
    ),
    value('timeUnixNano in 1999', gauge({ timeUnixNano: '946684799999999999' }), 'years 2000'),
    value('timeUnixNano in the year 5138', gauge({ timeUnixNano: '99999999999999999999' }), '2200'),
    value('timeUnixNano -5 ms', gauge({ timeUnixNano: '-5000000' }), 'outside the years'),
    value('startTimeUnixNano 1e30', gauge({ startTimeUnixNano: 1e30 }), 'startTimeUnixNano'),
    value(
      'aggregationTemporality 3',
      metricsBody({ name: 's', sum: { aggregationTemporality: 3, dataPoints: [] } }),
      'aggregationTemporality 3 is not one of',
    ),
    post('span traceId not hex', TRACES, span({ traceId: 'z'.repeat(32) }), 400, 'traceId'),
    post('span traceId 15 bytes', TRACES, span({ traceId: 'a'.repeat(30) }), 400, 'traceId'),
    post('span spanId 9 bytes', TRACES, span({ spanId: 'a'.repeat(18) }), 400, 'spanId'),
    post('span parentSpanId 1 byte', TRACES, span({ parentSpanId: 'ab' }), 400, 'parentSpanId'),
    post('span without traceId', TRACES, span({ traceId: undefined }), 400, 'traceId is missing'),
    post('span without spanId', TRACES, span({ spanId: undefined }), 400, 'spanId is missing'),
    post('span kind 6', TRACES, span({ kind: 6 }), 400, 'kind 6 is not one of'),
    post('span kind "SPAN_KIND_BOGUS"', TRACES, span({ kind: 'SPAN_KIND_BOGUS' }), 400, 'kind'),
    post('span status code 3', TRACES, span({ status: { code: 3 } }), 400, 'status code 3'),
    post('span start in 1970', TRACES, span({ startTimeUnixNano: '1000000000000' }), 400, '2000'),
    post('span end -1 ms', TRACES, span({ endTimeUnixNano: '-1000000' }), 400, 'endTimeUnixNano'),
  ];
}

/** Bodies nested deeper than any real export: brackets, key-value lists, arrays. */
export function jsonDepth(): BadRequest[] {
  const deep = (name: string, path: string, body: string, error: string) =>
    post(name, path, body, 400, error);
  return [
    deep(
      '65 nested arrays',
      METRICS,
      '['.repeat(65) + ']'.repeat(65),
      'JSON nesting deeper than 64',
    ),
    deep('100,000 nested arrays', METRICS, '['.repeat(1e5) + ']'.repeat(1e5), 'deeper than 64'),
    deep(
      '65 nested objects',
      METRICS,
      '{"a":'.repeat(65) + '1' + '}'.repeat(65),
      'JSON nesting deeper than 64',
    ),
    deep(
      'resourceMetrics 70 arrays deep',
      METRICS,
      `{"resourceMetrics":${'['.repeat(70)}${']'.repeat(70)}}`,
      'deeper than 64',
    ),
    deep(
      'traces 100,000 nested objects',
      TRACES,
      '{"a":'.repeat(1e5) + '1' + '}'.repeat(1e5),
      'deeper than 64',
    ),
    deep(
      '9 nested key-value lists',
      METRICS,
      withAttributes([{ key: 'deep', value: nested(9, 'kvlistValue') }]),
      'attribute nesting deeper than 8',
    ),
    deep(
      '9 nested arrays of AnyValue',
      METRICS,
      withAttributes([{ key: 'deep', value: nested(9, 'arrayValue') }]),
      'attribute nesting deeper than 8',
    ),
    deep(
      'span: 9 nested key-value lists',
      TRACES,
      span({ attributes: [{ key: 'deep', value: nested(9, 'kvlistValue') }] }),
      'attribute nesting deeper than 8',
    ),
  ];
}

/** Keys, values and names past 4096 characters; more than 128 attributes. */
export function jsonHuge(): BadRequest[] {
  const long = 'x'.repeat(5000);
  const huge = (name: string, path: string, body: string, error: string) =>
    post(name, path, body, 400, error);
  const resource = (attributes: object[]) =>
    JSON.stringify({ resourceMetrics: [{ resource: { attributes } }] });
  return [
    huge(
      'a 5000-character attribute key',
      METRICS,
      withAttributes([stringAttribute(long, 'v')]),
      'attribute key is longer than 4096',
    ),
    huge(
      'a 5000-character attribute value',
      METRICS,
      withAttributes([stringAttribute('k', long)]),
      'attribute value is longer than 4096',
    ),
    huge(
      'a 5000-character metric name',
      METRICS,
      metricsBody({ name: long, gauge: {} }),
      'name is longer than 4096',
    ),
    huge(
      'a 5000-character unit',
      METRICS,
      metricsBody({ name: 'x', unit: long, gauge: {} }),
      'unit is longer than 4096',
    ),
    huge(
      'a 5000-character scope name',
      METRICS,
      JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ scope: { name: long } }] }] }),
      'scope: name is longer than 4096',
    ),
    huge(
      'a 5000-character scope version',
      TRACES,
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { version: long } }] }] }),
      'scope: version is longer than 4096',
    ),
    huge('a 5000-character span name', TRACES, span({ name: long }), 'name is longer than 4096'),
    huge(
      '129 attributes on a point',
      METRICS,
      withAttributes(many(129)),
      'more than 128 attributes',
    ),
    huge('10,000 attributes on a point', METRICS, withAttributes(many(10_000)), 'more than 128'),
    huge('129 attributes on a resource', METRICS, resource(many(129)), 'resource: more than 128'),
    huge('129 attributes on a span', TRACES, span({ attributes: many(129) }), 'more than 128'),
    huge(
      '129 entries in a key-value list',
      METRICS,
      withAttributes([{ key: 'k', value: { kvlistValue: { values: many(129) } } }]),
      'more than 128 attributes',
    ),
  ];
}
