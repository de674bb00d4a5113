import { type BadRequest, JSON_TYPE } from './case.js';
import { VALID } from './rest.js';

const CEILING = JSON.stringify(VALID.ceilings);

/** Paths that do not percent-decode, routes and methods that do not exist. */
export function pathCases(metricsJson: Uint8Array): BadRequest[] {
  const cases: BadRequest[] = [];
  for (const [method, path] of [
    ['GET', '/%E0%A4%A'],
    ['GET', '/%'],
    ['GET', '/%zz'],
    ['GET', '/api/ceilings/%ff'],
    ['DELETE', '/api/rules/%C0%AF'],
    ['GET', '/api/%ED%A0%80'],
    ['POST', '/v1/metrics%'],
  ] as const) {
    cases.push({
      name: `${method} ${path}`,
      method,
      path,
      headers: JSON_TYPE,
      ...(method === 'POST' && { body: metricsJson }),
      status: 400,
      error: 'is not valid percent-encoded UTF-8',
    });
  }
  for (const [method, path] of [
    ['PUT', '/v1/metrics'],
    ['DELETE', '/v1/traces'],
    ['POST', '/v1/logs'],
    ['PATCH', '/api/ceilings/corpus-ceiling'],
    ['POST', '/api/ceilings/corpus-ceiling'],
    ['PUT', '/api/ceilings'],
    ['DELETE', '/api/ceilings'],
    ['POST', '/api/snapshot'],
    ['POST', '/api/history'],
    ['GET', '/api/ceilings/no-such-ceiling'],
    ['DELETE', '/api/webhooks/no-such-webhook'],
    ['PUT', '/api/nothing-here'],
    ['POST', '/healthz'],
    ['POST', '/metrics'],
  ] as const) {
    cases.push({
      name: `${method} ${path}`,
      method,
      path,
      headers: JSON_TYPE,
      body: method === 'DELETE' || method === 'GET' ? undefined : CEILING,
      status: 404,
    });
  }
  return cases;
}

/** Another site's Host (DNS rebinding) or Origin: refused before anything changes. */
export function siteCases(metricsJson: Uint8Array): BadRequest[] {
  const cases: BadRequest[] = [];
  const notServed = 'is not served here';
  for (const host of [
    'evil.example',
    'localhost.evil.example',
    '127.0.0.1.nip.io',
    'evil.example:4800',
    'xn--80ak6aa92e.com',
  ]) {
    cases.push({
      name: `GET /api/snapshot for Host ${host}`,
      method: 'GET',
      path: '/api/snapshot',
      headers: { host },
      status: 403,
      error: notServed,
    });
  }
  cases.push({
    name: 'POST a ceiling for Host evil.example',
    method: 'POST',
    path: '/api/ceilings',
    headers: { ...JSON_TYPE, host: 'evil.example' },
    body: CEILING,
    status: 403,
    error: notServed,
  });
  cases.push({
    name: 'POST OTLP for Host evil.example',
    method: 'POST',
    path: '/v1/metrics',
    headers: { ...JSON_TYPE, host: 'evil.example' },
    body: metricsJson,
    status: 403,
    error: notServed,
  });
  cases.push({
    name: 'an absolute-form target on another host',
    method: 'GET',
    path: 'http://evil.example/api/ceilings',
    status: 403,
    error: notServed,
  });
  const writes: Array<[string, string, Record<string, string>]> = [
    ['POST', '/api/ceilings', { origin: 'http://evil.example' }],
    ['POST', '/api/rules', { origin: 'null' }],
    ['POST', '/api/webhooks', { 'sec-fetch-site': 'cross-site' }],
    ['PUT', '/api/ceilings/corpus-ceiling', { 'sec-fetch-site': 'same-site' }],
    ['PUT', '/api/webhooks/corpus-webhook', { origin: 'http://localhost:5173' }],
    ['DELETE', '/api/ceilings/corpus-ceiling', { 'sec-fetch-site': 'cross-site' }],
    ['DELETE', '/api/rules/corpus-rule', { origin: 'http://evil.example' }],
  ];
  for (const [method, path, headers] of writes) {
    const [header, value] = Object.entries(headers)[0]!;
    cases.push({
      name: `${method} ${path} with ${header} ${value}`,
      method,
      path,
      headers: { ...JSON_TYPE, ...headers },
      ...(method !== 'DELETE' && {
        body: path.includes('ceiling')
          ? CEILING
          : JSON.stringify(path.includes('rule') ? VALID.rules : VALID.webhooks),
      }),
      status: 403,
      error: 'refused a',
    });
  }
  return cases;
}

const OK_HEAD = 'Host: 127.0.0.1\r\n';
const OTLP_HEAD = `POST /v1/metrics HTTP/1.1\r\n${OK_HEAD}content-type: application/json\r\n`;

/** Requests Node's HTTP parser refuses before the collector sees them: only the status is ours to check. */
export function rawCases(): BadRequest[] {
  const raw = (name: string, text: string, status = 400): BadRequest => ({
    name,
    path: '',
    raw: text,
    status,
  });
  return [
    raw('an invalid request line', 'GARBAGE\r\n\r\n'),
    raw('a method with an @', `G@T /healthz HTTP/1.1\r\n${OK_HEAD}\r\n`),
    raw('HTTP/9.9', `GET /healthz HTTP/9.9\r\n${OK_HEAD}\r\n`),
    raw('HTTP/1.1 without a Host', 'GET /healthz HTTP/1.1\r\n\r\n'),
    raw('a Host with a space', 'GET /healthz HTTP/1.1\r\nHost: a b\r\n\r\n'),
    raw('a header name with a space', `GET /healthz HTTP/1.1\r\n${OK_HEAD}ba d: x\r\n\r\n`),
    raw('a space before a colon', 'GET /healthz HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n'),
    raw(
      'a control character in a header value',
      `GET /healthz HTTP/1.1\r\n${OK_HEAD}x-a: a\u0001b\r\n\r\n`,
    ),
    raw('bare LF line ends', 'GET /healthz HTTP/1.1\nHost: 127.0.0.1\n\n'),
    raw(
      'a chunk size that is not hex',
      `${OTLP_HEAD}transfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`,
    ),
    raw(
      'a chunk size past 2^64',
      `${OTLP_HEAD}transfer-encoding: chunked\r\n\r\nffffffffffffffffff\r\n`,
    ),
    raw(
      'a chunk without its CRLF',
      `${OTLP_HEAD}transfer-encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n`,
    ),
    raw('transfer-encoding gzip alone', `${OTLP_HEAD}transfer-encoding: gzip\r\n\r\n`),
    raw(
      'both content-length and chunked',
      `${OTLP_HEAD}content-length: 3\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`,
    ),
    raw('a content-length that is not a number', `${OTLP_HEAD}content-length: abc\r\n\r\n`),
    raw(
      'two different content-lengths',
      `${OTLP_HEAD}content-length: 3\r\ncontent-length: 4\r\n\r\nabcd`,
    ),
    raw(
      '20 KB of headers',
      `GET /healthz HTTP/1.1\r\n${OK_HEAD}x-big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
    ),
    raw('a 20 KB URL', `GET /${'a'.repeat(20_000)} HTTP/1.1\r\n${OK_HEAD}\r\n`, 431),
  ];
}
