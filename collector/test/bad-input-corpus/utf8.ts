import { bytesField, message, metricsRequest, tracesRequest } from '../../src/otlp/test-helpers.js';
import { type BadRequest, PROTOBUF_TYPE, post } from './case.js';

/**
 * Byte sequences that are not UTF-8 (Unicode 15, table 3-7): a lone continuation byte, an
 * overlong '/', an encoded surrogate, a code point past U+10FFFF, a 🦊 cut after two bytes,
 * Latin-1 'é', and 0xFF.
 */
export const INVALID = {
  'a lone continuation byte': [0x80],
  'an overlong /': [0xc0, 0xaf],
  'a surrogate': [0xed, 0xa0, 0x80],
  'a code point past U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
  'a cut 🦊': [0xf0, 0x9f],
  "Latin-1 'é'": [0xe9],
  '0xFF': [0xff],
} as const;
const SEQUENCES = Object.entries(INVALID).map(
  ([name, bytes]) => [name, Buffer.from(bytes)] as const,
);

/** `template` with `bytes` in place of its one `@`, and where they start. */
function spliced(template: string, bytes: Uint8Array): { body: Buffer; at: number } {
  const at = Buffer.byteLength(template.slice(0, template.indexOf('@')));
  const [before, after] = template.split('@') as [string, string];
  return { body: Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]), at };
}

const JSON_PLACES = [
  [
    'metric name',
    '/v1/metrics',
    '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"x@"}]}]}]}',
  ],
  [
    'attribute key',
    '/v1/metrics',
    '{"resourceMetrics":[{"resource":{"attributes":[{"key":"@","value":{"stringValue":"v"}}]}}]}',
  ],
  [
    'attribute value',
    '/v1/traces',
    '{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"stringValue":"caf@"}}]}}]}',
  ],
  ['an unknown member', '/v1/traces', '{"resourceSpans":[],"note":"@"}'],
] as const;

/** Invalid UTF-8 in OTLP/JSON bodies: refused before JSON.parse, naming the byte. */
export function jsonUtf8(): BadRequest[] {
  const cases: BadRequest[] = [];
  SEQUENCES.forEach(([sequence, bytes], index) => {
    // Each sequence in one place, and each place with more than one sequence.
    for (const [place, path, template] of [
      JSON_PLACES[index % JSON_PLACES.length]!,
      JSON_PLACES[(index + 1) % JSON_PLACES.length]!,
    ]) {
      const { body, at } = spliced(template, bytes);
      cases.push(
        post(
          `${path} JSON ${place} with ${sequence}`,
          path,
          body,
          400,
          `JSON body is not valid UTF-8 (byte ${at})`,
        ),
      );
    }
  });
  const utf16 = Buffer.concat([
    Buffer.of(0xff, 0xfe),
    Buffer.from('{"resourceMetrics":[]}', 'utf16le'),
  ]);
  cases.push(
    post('a UTF-16 JSON body', '/v1/metrics', utf16, 400, 'JSON body is not valid UTF-8 (byte 0)'),
  );
  return cases;
}

/** Invalid UTF-8 in each protobuf `string` field the decoders read: refused, naming it. */
export function protobufUtf8(): BadRequest[] {
  const onResource = (keyValue: Uint8Array) =>
    bytesField(1, bytesField(1, bytesField(1, keyValue)));
  const span = (...fields: Uint8Array[]) =>
    tracesRequest(
      bytesField(1, new Uint8Array(16).fill(1)),
      bytesField(2, new Uint8Array(8).fill(2)),
      ...fields,
    );
  const places: Array<[string, string, (text: Uint8Array) => Uint8Array, string]> = [
    [
      'metric name',
      '/v1/metrics',
      (text) => metricsRequest(bytesField(1, text)),
      'metric #0: name is not valid UTF-8',
    ],
    [
      'metric description',
      '/v1/metrics',
      (text) => metricsRequest(bytesField(1, 'x'), bytesField(2, text)),
      'metric `x`: description is not valid UTF-8',
    ],
    [
      'metric unit',
      '/v1/metrics',
      (text) => metricsRequest(bytesField(1, 'x'), bytesField(3, text)),
      'metric `x`: unit is not valid UTF-8',
    ],
    [
      'scope name',
      '/v1/metrics',
      (text) => bytesField(1, bytesField(2, bytesField(1, bytesField(1, text)))),
      'scope: name is not valid UTF-8',
    ],
    [
      'scope version',
      '/v1/traces',
      (text) => bytesField(1, bytesField(2, bytesField(1, bytesField(2, text)))),
      'scope: version is not valid UTF-8',
    ],
    [
      'resource attribute key',
      '/v1/metrics',
      (text) => onResource(bytesField(1, text)),
      'resource: attribute key is not valid UTF-8',
    ],
    [
      'resource attribute value',
      '/v1/traces',
      (text) => onResource(message(bytesField(1, 'k'), bytesField(2, bytesField(1, text)))),
      'resource: attribute value is not valid UTF-8',
    ],
    [
      'span name',
      '/v1/traces',
      (text) => span(bytesField(5, text)),
      'span #0: name is not valid UTF-8',
    ],
    [
      'span status message',
      '/v1/traces',
      (text) => span(bytesField(5, 's'), bytesField(15, bytesField(2, text))),
      'span `s`: status message is not valid UTF-8',
    ],
    [
      'a string in an array attribute',
      '/v1/traces',
      (text) =>
        span(
          bytesField(5, 's'),
          bytesField(
            9,
            message(
              bytesField(1, 'k'),
              bytesField(2, bytesField(5, bytesField(1, bytesField(1, text)))),
            ),
          ),
        ),
      'span `s`: attribute value is not valid UTF-8',
    ],
  ];
  const cases: BadRequest[] = [];
  places.forEach(([place, path, build, error], index) => {
    // Short strings go through the decoders' string cache, long ones (over 64 bytes) do not.
    for (const [length, prefix] of [
      ['short', 'ab'],
      ['long', 'x'.repeat(80)],
    ] as const) {
      const [sequence, bytes] =
        SEQUENCES[(index * 2 + (length === 'long' ? 1 : 0)) % SEQUENCES.length]!;
      const body = build(Buffer.concat([Buffer.from(prefix), bytes]));
      cases.push(
        post(
          `protobuf ${place}, ${length}, with ${sequence}`,
          path,
          body,
          400,
          error,
          PROTOBUF_TYPE,
        ),
      );
    }
  });
  return cases;
}

/** Invalid UTF-8 in API bodies: refused, not stored with U+FFFD in its place. */
export function apiUtf8(): BadRequest[] {
  const places = [
    ['POST', '/api/ceilings', '{"key":"k@","provider":"p","model":"m","rpm":5}'],
    [
      'POST',
      '/api/rules',
      '{"name":"r@","kind":"utilization","severity":"warning","threshold":0.8}',
    ],
    ['POST', '/api/webhooks', '{"url":"https://hooks.example.com/@"}'],
    [
      'PUT',
      '/api/ceilings/corpus-ceiling',
      '{"key":"k","provider":"p","model":"m","rpm":5,"note":"@"}',
    ],
  ] as const;
  return places.map(([method, path, template], index) => {
    const [sequence, bytes] = SEQUENCES[index % SEQUENCES.length]!;
    const { body, at } = spliced(template, bytes);
    return {
      ...post(
        `${method} ${path} with ${sequence}`,
        path,
        body,
        400,
        `body is not valid UTF-8 (byte ${at})`,
      ),
      method,
    };
  });
}
