import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type MockProvider, startMockProvider } from '@headroom/mock-provider';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const sdkRoot = fileURLToPath(new URL('..', import.meta.url));

interface Point {
  name: string;
  attributes: Record<string, unknown>;
  value: number;
}

/** A local OTLP/HTTP JSON receiver: the zero-code app exports to it like to a collector. */
function otlpReceiver() {
  const metrics: any[] = [];
  const traces: any[] = [];
  const headers: Array<Record<string, string | string[] | undefined>> = [];
  const protobuf: string[] = [];
  const server: Server = createServer((request, response) => {
    headers.push(request.headers);
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      // Protobuf bodies are only counted: the tests read JSON.
      const json = String(request.headers['content-type']).includes('json');
      if (json) (request.url === '/v1/metrics' ? metrics : traces).push(JSON.parse(body));
      else protobuf.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  return { server, metrics, traces, headers, protobuf };
}

/**
 * The points of `name`, the last of each attribute set only: the exports are cumulative, and a
 * slow run may export more than once before the last export at shutdown.
 */
function points(metrics: any[], name: string): Point[] {
  const latest = new Map<string, Point>();
  for (const point of allPoints(metrics, name)) latest.set(JSON.stringify(point.attributes), point);
  return [...latest.values()];
}

function allPoints(metrics: any[], name: string): Point[] {
  const found: Point[] = [];
  for (const request of metrics) {
    for (const resource of request.resourceMetrics) {
      for (const scope of resource.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.name !== name) continue;
          for (const point of (metric.sum ?? metric.gauge).dataPoints) {
            found.push({
              name,
              attributes: Object.fromEntries(
                point.attributes.map((a: any) => [a.key, Object.values(a.value)[0]]),
              ),
              value: Number(point.asInt ?? point.asDouble),
            });
          }
        }
      }
    }
  }
  return found;
}

function spanNames(traces: any[]): string[] {
  return traces.flatMap((request) =>
    request.resourceSpans.flatMap((resource: any) =>
      resource.scopeSpans.flatMap((scope: any) => scope.spans.map((span: any) => span.name)),
    ),
  );
}

describe('node --import @headroom/sdk/register', () => {
  let mock: MockProvider;
  let receiver: ReturnType<typeof otlpReceiver>;

  beforeEach(async () => {
    mock = await startMockProvider({ port: 0 });
    receiver = otlpReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    await mock.close();
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  const start = (app: string, extra: Record<string, string | undefined> = {}) =>
    startWith(['--import', '@headroom/sdk/register'], app, extra);

  const startWith = (
    preload: string[],
    app: string,
    extra: Record<string, string | undefined> = {},
  ) =>
    run(
      process.execPath,
      [...preload, fileURLToPath(new URL(`fixtures/${app}`, import.meta.url))],
      {
        cwd: sdkRoot,
        timeout: 20_000,
        env: withoutUndefined({
          ...process.env,
          MOCK_URL: mock.url,
          HEADROOM_COLLECTOR_URL: `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_SERVICE_NAME: 'zero-code-test',
          ...extra,
        }),
      },
    );

  it('instruments an ESM app: its openai calls, and a LangGraph graph it compiles', async () => {
    await start('zero-code-app.mjs');
    const calls = points(receiver.metrics, 'headroom.calls');
    const base = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'headroom.key': expect.stringMatching(/^key-[0-9a-f]{8}$/),
      'server.address': '127.0.0.1',
      'headroom.outcome': 'ok',
    };
    expect(calls).toEqual(
      expect.arrayContaining([
        { name: 'headroom.calls', attributes: base, value: 1 },
        {
          name: 'headroom.calls',
          attributes: {
            ...base,
            'headroom.graph.name': 'zero-code',
            'headroom.graph.node': 'model',
          },
          value: 1,
        },
      ]),
    );
    expect(calls).toHaveLength(2);
    expect(points(receiver.metrics, 'headroom.graph.node.executions')).toEqual([
      {
        name: 'headroom.graph.node.executions',
        attributes: { 'headroom.graph.name': 'zero-code', 'headroom.graph.node': 'model' },
        value: 1,
      },
    ]);
    expect(spanNames(receiver.traces).sort()).toEqual(
      ['chat gpt-4o-mini', 'chat gpt-4o-mini', 'invoke_agent zero-code', 'node model'].sort(),
    );
    expect(mock.stats().totals.requests).toBe(2);
  });

  it('instruments a CommonJS app', async () => {
    await start('zero-code-app.cjs');
    expect(points(receiver.metrics, 'headroom.calls').map((point) => point.value)).toEqual([2]);
    expect(points(receiver.metrics, 'headroom.requests').map((point) => point.value)).toEqual([2]);
    expect(JSON.stringify(receiver.metrics)).not.toContain('sk-zero-code');
    expect(JSON.stringify(receiver.traces)).not.toContain('sk-zero-code');
  });

  it('names the keys the code does not name from HEADROOM_KEY_NAMES, by fingerprint or host', async () => {
    const fingerprint = `key-${createHash('sha256').update('sk-zero-code').digest('hex').slice(0, 8)}`;
    await start('zero-code-app.cjs', {
      HEADROOM_KEY_NAMES: `${fingerprint}=prod, other.example=x`,
    });
    expect(
      new Set(
        points(receiver.metrics, 'headroom.calls').map((point) => point.attributes['headroom.key']),
      ),
    ).toEqual(new Set(['prod']));
    await start('zero-code-app.cjs', { HEADROOM_KEY_NAMES: '127.0.0.1=local-mock' });
    expect(points(receiver.metrics, 'headroom.calls').at(-1)!.attributes['headroom.key']).toBe(
      'local-mock',
    );
  });

  it('reads the standard environment: OTLP endpoints, resource attributes, export interval', async () => {
    const receiverUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    await start('zero-code-app.cjs', {
      HEADROOM_COLLECTOR_URL: undefined,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/unused',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiverUrl}/v1/metrics`,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiverUrl}/v1/traces`,
      OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=pod-7,deployment.environment.name=staging',
      OTEL_METRIC_EXPORT_INTERVAL: '100',
    });
    const resources = receiver.metrics.flatMap((request) =>
      request.resourceMetrics.map((resource: any) =>
        Object.fromEntries(
          resource.resource.attributes.map((a: any) => [a.key, Object.values(a.value)[0]]),
        ),
      ),
    );
    expect(resources.length).toBeGreaterThan(0);
    for (const attributes of resources)
      expect(attributes).toMatchObject({
        'service.name': 'zero-code-test',
        'service.instance.id': 'pod-7',
        'deployment.environment.name': 'staging',
      });
    expect(points(receiver.metrics, 'headroom.calls').map((point) => point.value)).toEqual([2]);
    expect(receiver.traces.length).toBeGreaterThan(0);
  });

  it('OTEL_* alone: the endpoint, its headers, and a sampler that keeps no span (metrics stay exact)', async () => {
    const receiverUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    await start('zero-code-app.mjs', {
      HEADROOM_COLLECTOR_URL: undefined,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-team=llm-platform',
      OTEL_TRACES_SAMPLER: 'always_off',
    });
    expect(receiver.traces).toEqual([]);
    expect(receiver.headers.every((headers) => headers['x-team'] === 'llm-platform')).toBe(true);
    expect(receiver.headers.length).toBeGreaterThan(0);
    const requests = points(receiver.metrics, 'headroom.requests');
    expect(requests.reduce((sum, point) => sum + point.value, 0)).toBe(2);
    expect(mock.stats().totals.requests).toBe(2);
    expect(points(receiver.metrics, 'headroom.graph.node.executions').map((p) => p.value)).toEqual([
      1,
    ]);
  });

  it('per-signal protocols: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL over OTEL_EXPORTER_OTLP_PROTOCOL', async () => {
    await start('zero-code-app.cjs', { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' });
    expect(receiver.traces).toEqual([]);
    expect(receiver.protobuf.length).toBeGreaterThan(0);
    expect(new Set(receiver.protobuf)).toEqual(new Set(['/v1/traces']));
    expect(points(receiver.metrics, 'headroom.requests').map((point) => point.value)).toEqual([2]);
  });

  it("an ESM app's own NodeSDK with HeadroomInstrumentation: patched on import, exported by the app's exporters", async () => {
    const receiverUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    await startWith(
      ['--import', fileURLToPath(new URL('fixtures/nodesdk-setup.mjs', import.meta.url))],
      'zero-code-app.mjs',
      { HEADROOM_COLLECTOR_URL: undefined, OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl },
    );
    const requests = points(receiver.metrics, 'headroom.requests');
    expect(requests.reduce((sum, point) => sum + point.value, 0)).toBe(2);
    expect(mock.stats().totals.requests).toBe(2);
    expect(spanNames(receiver.traces).sort()).toEqual(
      ['chat gpt-4o-mini', 'chat gpt-4o-mini', 'invoke_agent zero-code', 'node model'].sort(),
    );
    const services = receiver.metrics.flatMap((request) =>
      request.resourceMetrics.map(
        (resource: any) =>
          resource.resource.attributes.find((a: any) => a.key === 'service.name').value.stringValue,
      ),
    );
    expect(new Set(services)).toEqual(new Set(['nodesdk-app']));
  });

  it("a CommonJS app's providers with registerInstrumentations: its sampler keeps no span, the counts stay exact", async () => {
    const receiverUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    await startWith(
      ['--require', fileURLToPath(new URL('fixtures/nodesdk-setup.cjs', import.meta.url))],
      'zero-code-app.cjs',
      { HEADROOM_COLLECTOR_URL: undefined, OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl },
    );
    expect(receiver.traces).toEqual([]);
    expect(points(receiver.metrics, 'headroom.calls').map((point) => point.value)).toEqual([2]);
    expect(points(receiver.metrics, 'headroom.requests').map((point) => point.value)).toEqual([2]);
    expect(mock.stats().totals.requests).toBe(2);
  });

  it('OTEL_SDK_DISABLED=true: the app runs as if Headroom were not there, nothing is sent', async () => {
    await start('zero-code-app.cjs', { OTEL_SDK_DISABLED: 'TRUE' });
    expect(mock.stats().totals.requests).toBe(2);
    expect(receiver.metrics).toEqual([]);
    expect(receiver.traces).toEqual([]);
  });

  it('a bare OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/metrics and /v1/traces appended', async () => {
    await start('zero-code-app.cjs', {
      HEADROOM_COLLECTOR_URL: undefined,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/`,
    });
    expect(points(receiver.metrics, 'headroom.requests').map((point) => point.value)).toEqual([2]);
  });
});

function withoutUndefined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
