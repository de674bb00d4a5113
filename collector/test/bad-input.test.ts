import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from '../src/start-collector.js';
import { json, resources } from './helpers.js';

const open = resources();
afterEach(() => open.close());

/** Bad requests, each to be answered with a 4xx and a one-line reason, the server still healthy. */
const CORPUS: Array<[string, string, RequestInit, number]> = [
  [
    'not JSON',
    '/v1/metrics',
    { body: '{"resourceMetrics": [', headers: { 'content-type': 'application/json' } },
    400,
  ],
  [
    'JSON not an object',
    '/v1/metrics',
    { body: '[1,2,3]', headers: { 'content-type': 'application/json' } },
    400,
  ],
  [
    'wrong type',
    '/v1/metrics',
    { body: '{"resourceMetrics": "all"}', headers: { 'content-type': 'application/json' } },
    400,
  ],
  [
    'NaN',
    '/v1/metrics',
    {
      body: JSON.stringify({
        resourceMetrics: [
          {
            resource: {},
            scopeMetrics: [
              { metrics: [{ name: 'x', gauge: { dataPoints: [{ asDouble: 'NaN' }] } }] },
            ],
          },
        ],
      }),
      headers: { 'content-type': 'application/json' },
    },
    400,
  ],
  [
    'absurd number',
    '/v1/metrics',
    {
      body: JSON.stringify({
        resourceMetrics: [
          {
            resource: {},
            scopeMetrics: [
              { metrics: [{ name: 'x', gauge: { dataPoints: [{ asDouble: 1e300 }] } }] },
            ],
          },
        ],
      }),
      headers: { 'content-type': 'application/json' },
    },
    400,
  ],
  [
    'deep nesting',
    '/v1/metrics',
    {
      body: '['.repeat(100_000) + ']'.repeat(100_000),
      headers: { 'content-type': 'application/json' },
    },
    400,
  ],
  [
    'truncated protobuf',
    '/v1/metrics',
    {
      body: new Uint8Array([0x0a, 0xff, 0x01, 0x02]),
      headers: { 'content-type': 'application/x-protobuf' },
    },
    400,
  ],
  [
    'garbage protobuf',
    '/v1/traces',
    {
      body: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      headers: { 'content-type': 'application/x-protobuf' },
    },
    400,
  ],
  [
    'unknown content type',
    '/v1/metrics',
    { body: 'x', headers: { 'content-type': 'text/plain' } },
    415,
  ],
  [
    'corrupt gzip',
    '/v1/metrics',
    {
      body: new Uint8Array([1, 2, 3]),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    },
    400,
  ],
  [
    'gzip bomb',
    '/v1/metrics',
    {
      body: gzipSync(Buffer.alloc(20 * 1024 * 1024, 32)),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    },
    413,
  ],
  [
    'body too large',
    '/v1/traces',
    { body: Buffer.alloc(17 * 1024 * 1024, 32), headers: { 'content-type': 'application/json' } },
    413,
  ],
  [
    'unknown encoding',
    '/v1/metrics',
    { body: 'x', headers: { 'content-type': 'application/json', 'content-encoding': 'br' } },
    415,
  ],
  [
    'bad ceiling',
    '/api/ceilings',
    {
      body: JSON.stringify({ key: 'k', provider: 'p', model: 'm', rpm: 'fast' }),
      headers: { 'content-type': 'application/json' },
    },
    400,
  ],
  [
    'ceiling not JSON',
    '/api/ceilings',
    { body: 'rpm=5', headers: { 'content-type': 'application/json' } },
    400,
  ],
  [
    'unknown rule field',
    '/api/rules',
    {
      body: JSON.stringify({
        name: 'x',
        kind: 'utilization',
        severity: 'warning',
        threshold: 0.5,
        trheshold: 1,
      }),
      headers: { 'content-type': 'application/json' },
    },
    400,
  ],
];

describe('bad input', () => {
  it('each bad request gets its 4xx and a one-line reason, and the collector keeps serving', async () => {
    const running = await startCollector({ port: 0, data: open.directory() });
    open.add(() => running.close());
    for (const [name, path, init, status] of CORPUS) {
      const response = await fetch(`${running.url}${path}`, { method: 'POST', ...init });
      const body = await json(response);
      expect({ name, status: response.status }).toEqual({ name, status });
      expect(typeof body.error).toBe('string');
      expect(body.error).not.toContain('\n');
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    }
    expect((await json(fetch(`${running.url}/api/snapshot`))).keys).toEqual([]);
  });
});
