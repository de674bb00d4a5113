import { gzipSync } from 'node:zlib';
import { type BadRequest, JSON_TYPE, PROTOBUF_TYPE, post } from './case.js';

const MiB = 1024 * 1024;
const gzipped = (type: Record<string, string>, encoding = 'gzip') => ({
  ...type,
  'content-encoding': encoding,
});

/** `bytes` with the byte at `index` (from the end when negative) XOR-ed with 0xff. */
function flipped(bytes: Uint8Array, index: number): Buffer {
  const copy = Buffer.from(bytes);
  const at = index < 0 ? copy.length + index : index;
  copy[at]! ^= 0xff;
  return copy;
}

/**
 * Gzip that does not inflate: corrupt, cut short, a wrong checksum or length, a header no gzip
 * writes, plain bodies labelled gzip, and bombs that inflate past 16 MiB. Then encodings the
 * collector does not speak.
 */
export function gzipCases(metricsJson: Uint8Array, tracesProtobuf: Uint8Array): BadRequest[] {
  const json = gzipSync(metricsJson);
  const protobuf = gzipSync(tracesProtobuf);
  const corrupt = (name: string, path: string, body: Uint8Array, type = JSON_TYPE) =>
    post(`gzip: ${name}`, path, body, 400, 'gzip body is corrupt', gzipped(type));
  const cases = [
    corrupt('three random bytes', '/v1/metrics', Uint8Array.of(1, 2, 3)),
    corrupt('an empty body', '/v1/metrics', new Uint8Array()),
    corrupt('plain JSON', '/v1/metrics', metricsJson),
    corrupt('plain protobuf', '/v1/traces', tracesProtobuf, PROTOBUF_TYPE),
    corrupt('the 10-byte header alone', '/v1/metrics', json.subarray(0, 10)),
    corrupt('cut in the middle', '/v1/metrics', json.subarray(0, json.length >> 1)),
    corrupt('without its 8-byte trailer', '/v1/traces', protobuf.subarray(0, -8), PROTOBUF_TYPE),
    corrupt('without its length', '/v1/traces', protobuf.subarray(0, -4), PROTOBUF_TYPE),
    corrupt('a wrong CRC-32', '/v1/metrics', flipped(json, -8)),
    corrupt('a wrong length', '/v1/traces', flipped(protobuf, -1), PROTOBUF_TYPE),
    corrupt('a flipped byte in the deflate data', '/v1/metrics', flipped(json, 40)),
    corrupt('a wrong magic number', '/v1/metrics', flipped(json, 1)),
    corrupt(
      'compression method 7',
      '/v1/traces',
      Buffer.concat([Buffer.of(0x1f, 0x8b, 7), protobuf.subarray(3)]),
      PROTOBUF_TYPE,
    ),
    corrupt('deflate without the gzip wrapper', '/v1/metrics', json.subarray(10, -8)),
    // Gzip labelled once but applied twice inflates to gzip bytes, which are not OTLP.
    post(
      'gzip applied twice',
      '/v1/metrics',
      gzipSync(json),
      400,
      'JSON body is not valid UTF-8',
      gzipped(JSON_TYPE),
    ),
    post(
      'gzip bomb: 20 MiB of spaces',
      '/v1/metrics',
      gzipSync(Buffer.alloc(20 * MiB, 32)),
      413,
      'gzip body inflates to over the 16777216-byte limit',
      gzipped(JSON_TYPE),
    ),
    post(
      'gzip bomb: 17 MiB of zeros',
      '/v1/traces',
      gzipSync(Buffer.alloc(17 * MiB)),
      413,
      'gzip body inflates to over',
      gzipped(PROTOBUF_TYPE),
    ),
  ];
  for (const encoding of [
    'br',
    'deflate',
    'compress',
    'zstd',
    'gzip, gzip',
    'identity, gzip',
    'chunked',
  ]) {
    cases.push(
      post(
        `content-encoding ${encoding}`,
        '/v1/metrics',
        json,
        415,
        `content-encoding ${encoding} is not supported`,
        gzipped(JSON_TYPE, encoding),
      ),
    );
  }
  return cases;
}

/** Bodies past the limits: declared, inflated, and chunked without a length. */
export function tooLarge(): BadRequest[] {
  const over = Buffer.alloc(16 * MiB + 1, 32);
  const limit = 'over the 16777216-byte limit';
  const apiLimit = 'over the 65536-byte limit';
  const ceiling = (note: number) =>
    JSON.stringify({ key: 'k', provider: 'p', model: 'm', rpm: 5, note: 'x'.repeat(note) });
  return [
    post('16 MiB + 1 byte of JSON', '/v1/metrics', over, 413, limit),
    post('16 MiB + 1 byte of protobuf', '/v1/traces', over, 413, limit, PROTOBUF_TYPE),
    post(
      '17 MiB stored uncompressed in gzip',
      '/v1/metrics',
      gzipSync(Buffer.alloc(17 * MiB), { level: 0 }),
      413,
      limit,
      gzipped(JSON_TYPE),
    ),
    {
      name: 'chunked JSON metrics streamed past 16 MiB',
      method: 'POST',
      path: '/v1/metrics',
      headers: JSON_TYPE,
      stream: { chunk: MiB, total: 64 * MiB },
      status: 413,
      error: limit,
    },
    {
      name: 'chunked protobuf traces streamed past 16 MiB',
      method: 'POST',
      path: '/v1/traces',
      headers: PROTOBUF_TYPE,
      stream: { chunk: MiB, total: 64 * MiB },
      status: 413,
      error: limit,
    },
    post('a 65 KiB ceiling', '/api/ceilings', ceiling(65 * 1024), 413, apiLimit),
    {
      ...post(
        'a 100 KiB rule put',
        '/api/rules/corpus-rule',
        ' '.repeat(100 * 1024),
        413,
        apiLimit,
      ),
      method: 'PUT',
    },
    {
      name: 'a chunked webhook streamed past 64 KiB',
      method: 'POST',
      path: '/api/webhooks',
      headers: JSON_TYPE,
      stream: { chunk: 16 * 1024, total: 32 * MiB },
      status: 413,
      error: apiLimit,
    },
    {
      name: 'a declared length of 100 MiB, no body sent',
      path: '/v1/metrics',
      raw: 'POST /v1/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 104857600\r\n\r\n',
      status: 413,
    },
  ];
}

const NOT_OTLP = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/protobuf',
  'application/grpc',
];
const NOT_JSON = [
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
];

/** OTLP and API writes labelled as something else, or not labelled: 415 whatever the body. */
export function contentTypes(
  metricsJson: Uint8Array,
  tracesProtobuf: Uint8Array,
  valid: Record<string, object>,
): BadRequest[] {
  const cases: BadRequest[] = [];
  for (const [path, body] of [
    ['/v1/metrics', metricsJson],
    ['/v1/traces', tracesProtobuf],
  ] as const) {
    cases.push(
      post(
        `${path} without a content type`,
        path,
        body,
        415,
        'content-type (none) is not OTLP',
        {},
      ),
    );
    for (const type of NOT_OTLP) {
      cases.push(
        post(
          `${path} as ${type}`,
          path,
          body,
          415,
          `content-type ${type.split(';')[0]} is not OTLP`,
          { 'content-type': type },
        ),
      );
    }
  }
  // Valid bodies: only the label is wrong, and a page could send these without a preflight.
  for (const [resource, body] of Object.entries(valid)) {
    for (const [method, path] of [
      ['POST', `/api/${resource}`],
      ['PUT', `/api/${resource}/corpus-${resource.slice(0, -1)}`],
    ] as const) {
      for (const type of [undefined, ...NOT_JSON]) {
        const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
        const shown = type === undefined ? '(none)' : type.split(';')[0]!.toLowerCase();
        cases.push({
          ...post(
            `${method} ${path} as ${type ?? 'nothing'}`,
            path,
            JSON.stringify(body),
            415,
            `content-type ${shown} is not accepted for ${method}`,
            headers,
          ),
          method,
        });
      }
    }
  }
  cases.push({
    name: 'DELETE with a text/plain body',
    method: 'DELETE',
    path: '/api/ceilings/corpus-ceiling',
    headers: { 'content-type': 'text/plain' },
    body: 'x',
    status: 415,
    error: 'content-type text/plain is not accepted for DELETE',
  });
  return cases;
}
