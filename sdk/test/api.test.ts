import { createHash } from 'node:crypto';
import { StateGraph } from '@langchain/langgraph';
import { SpanStatusCode } from '@opentelemetry/api';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { HeadroomOptionsError, init } from '../src/index.js';
import {
  callAttributes,
  childrenOf,
  closedPort,
  countTokens,
  onlySpan,
  resources,
} from './mock.js';

const KEY = 'sk-api-test';
const FINGERPRINT = `key-${createHash('sha256').update(KEY).digest('hex').slice(0, 8)}`;
const messages = [{ role: 'user' as const, content: 'Hello there' }];
const usage = countTokens({ messages });

const open = resources();
afterEach(() => open.close());

/** The error `fn` throws; fails the test if it throws none. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('bad options throw one line that names the option', () => {
  it.each([
    [{ key: '' }, 'Expected `key` to be a non-empty string, got ""'],
    [{ provider: 42 }, 'Expected `provider` to be a non-empty string, got 42'],
    [{ tenant: null }, 'Expected `tenant` to be a non-empty string, got null'],
    [{ name: '' }, 'Expected `name` to be a non-empty string, got ""'],
  ])('instrument(client, %j)', (options, message) => {
    const telemetry = open.telemetry();
    const client = new OpenAI({ apiKey: KEY, baseURL: 'http://127.0.0.1:9/v1' });
    const error = thrown(() => telemetry.headroom.instrument(client, options as any));
    expect(error).toBeInstanceOf(HeadroomOptionsError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(message);
  });

  it.each([
    [{ model: 'm' }, 'Expected `provider` to be a non-empty string, got undefined'],
    [{ provider: '', model: 'm' }, 'Expected `provider` to be a non-empty string, got ""'],
    [{ provider: 'p', model: 7 }, 'Expected `model` to be a non-empty string, got 7'],
    [{ provider: 'p', model: 'm', key: 1 }, 'Expected `key` to be a non-empty string, got 1'],
    [
      { provider: 'p', model: 'm', apiKey: {} },
      'Expected `apiKey` to be a non-empty string, got an object',
    ],
    [
      { provider: 'p', model: 'm', tenant: '' },
      'Expected `tenant` to be a non-empty string, got ""',
    ],
  ])('trackCall(%j) throws before running the function', (options, message) => {
    const telemetry = open.telemetry();
    let ran = false;
    const error = thrown(() =>
      telemetry.headroom.trackCall(options as any, () => {
        ran = true;
      }),
    );
    expect(error).toBeInstanceOf(HeadroomOptionsError);
    expect(error.message).toBe(message);
    expect(ran).toBe(false);
  });

  it('node(), run() and withTenant() name what is missing', () => {
    const { headroom } = open.telemetry();
    expect(thrown(() => headroom.node({ graph: 'g' } as any, () => 1)).message).toBe(
      'Expected `node` to be a non-empty string, got undefined',
    );
    expect(thrown(() => headroom.node({ node: 'n' } as any, () => 1)).message).toBe(
      'Expected `graph` to be a non-empty string, got undefined',
    );
    expect(thrown(() => headroom.run({} as any, () => 1)).message).toBe(
      'Expected `graph` to be a non-empty string, got undefined',
    );
    expect(thrown(() => headroom.withTenant('', () => 1)).message).toBe(
      'Expected `tenant` to be a non-empty string, got ""',
    );
  });

  it.each([
    [null, 'Expected `options` to be an object, got null'],
    ['fast', 'Expected `options` to be an object, got string'],
    [
      { protocol: 'grpc' },
      "Expected `protocol` to be 'http/protobuf' or 'http/json', got \"grpc\"",
    ],
    [{ collectorUrl: 'not a url' }, 'Expected `collectorUrl` to be a URL, got "not a url"'],
    [
      { prometheus: { port: 70_000 } },
      'Expected `prometheus.port` to be an integer from 0 to 65535, got 70000',
    ],
    [
      { prometheus: { port: '9464' } },
      'Expected `prometheus.port` to be an integer from 0 to 65535, got "9464"',
    ],
    [
      { collectorUrl: false, exportIntervalMillis: 0 },
      'Expected `exportIntervalMillis` to be a number from 1 and up, got 0',
    ],
    [
      { collectorUrl: false, exportIntervalMillis: Number.NaN },
      'Expected `exportIntervalMillis` to be a number from 1 and up, got NaN',
    ],
    [
      { collectorUrl: false, exportIntervalMillis: '500' },
      'Expected `exportIntervalMillis` to be a number from 1 and up, got "500"',
    ],
  ])('init(%j)', (options, message) => {
    const error = thrown(() => init(options as any));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(message);
  });

  it('every message is one line', () => {
    const { headroom } = open.telemetry();
    const client = new OpenAI({ apiKey: KEY, baseURL: 'http://127.0.0.1:9/v1' });
    for (const fn of [
      () => headroom.instrument(client, { key: ['a\nb'] as any }),
      () => headroom.trackCall({ provider: 'p\nq' as any, model: {} as any }, () => 1),
      () => init({ protocol: 'x\ny' as any }),
      () => init({ collectorUrl: 'a\nb' }),
      () => init({ collectorUrl: false, exportIntervalMillis: 'a\nb' as any }),
    ]) {
      expect(thrown(fn).message).not.toMatch(/\n/);
    }
  });

  it('a graph is instrumented with its own name when none is given', async () => {
    const telemetry = open.telemetry();
    const graph = new StateGraph({ channels: { n: null } } as any)
      .addNode('only', () => ({}))
      .addEdge('__start__', 'only')
      .compile({ name: 'named-graph' } as any);
    telemetry.headroom.instrumentGraph(graph);
    await graph.invoke({ n: 1 });
    await telemetry.collect();
    expect(telemetry.spans().map((span) => span.name)).toEqual([
      'node only',
      'invoke_agent named-graph',
    ]);
  });
});

describe('trackCall() for any other client', () => {
  it('returns the very promise the function returned', async () => {
    const telemetry = open.telemetry();
    const promise = Promise.resolve('answer');
    expect(telemetry.headroom.trackCall({ provider: 'p', model: 'm' }, () => promise)).toBe(
      promise,
    );
    await promise;
  });

  it('wraps a hand-rolled retry loop over fetch: attempts, usage, rate-limit headers', async () => {
    const mock = await open.mock({ keys: { [KEY]: { rpm: 600, tpm: 100_000 } } });
    const telemetry = open.telemetry();
    mock.script([429, 200], { key: KEY });

    const body = await telemetry.headroom.trackCall(
      { provider: 'custom', model: 'gpt-4o-mini', apiKey: KEY, serverAddress: mock.host },
      async (call) => {
        for (;;) {
          const response = await call.attempt(() =>
            fetch(`${mock.url}/v1/chat/completions`, {
              method: 'POST',
              headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
              body: JSON.stringify({ model: 'gpt-4o-mini', messages }),
            }),
          );
          if (response.status === 429) {
            await response.arrayBuffer();
            continue;
          }
          const json = (await response.json()) as OpenAI.ChatCompletion;
          call.usage({
            inputTokens: json.usage?.prompt_tokens,
            outputTokens: json.usage?.completion_tokens,
          });
          call.responseModel('gpt-4o-mini-2024-07-18');
          return json;
        }
      },
    );
    expect(body.usage?.total_tokens).toBe(usage.totalTokens);
    await telemetry.collect();

    const series = callAttributes(mock, { 'headroom.key': FINGERPRINT }, 'custom');
    const points = (name: string) =>
      telemetry.points(name).map((point) => [point.attributes, point.value]);
    expect(points('headroom.calls')).toEqual([[{ ...series, 'headroom.outcome': 'ok' }, 1]]);
    expect(points('headroom.requests')).toEqual([
      [{ ...series, 'headroom.outcome': 'ok' }, 1],
      [{ ...series, 'headroom.outcome': 'rate_limited' }, 1],
    ]);
    expect(points('headroom.tokens')).toEqual([
      [{ ...series, 'gen_ai.token.type': 'input' }, usage.inputTokens],
      [{ ...series, 'gen_ai.token.type': 'output' }, usage.outputTokens],
    ]);
    expect(
      telemetry.last('headroom.ratelimit.remaining', { 'headroom.ratelimit.dimension': 'tokens' }),
    ).toBe(100_000 - usage.totalTokens);

    const call = onlySpan(telemetry.spans(), 'chat gpt-4o-mini');
    expect(call.attributes).toEqual({
      ...series,
      'headroom.outcome': 'ok',
      'headroom.attempts': 2,
      'gen_ai.usage.input_tokens': usage.inputTokens,
      'gen_ai.usage.output_tokens': usage.outputTokens,
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    });
    expect(childrenOf(telemetry.spans(), call).map((span) => span.attributes)).toEqual([
      {
        'http.request.method': 'POST',
        'server.address': mock.host,
        'http.response.status_code': 429,
        'error.type': '429',
      },
      {
        'http.request.method': 'POST',
        'server.address': mock.host,
        'http.request.resend_count': 1,
        'http.response.status_code': 200,
      },
    ]);
  });

  it('usage reported twice adds up; a call with no attempt wrapped still counts one request', async () => {
    const telemetry = open.telemetry();
    await telemetry.headroom.trackCall(
      { provider: 'custom', model: 'm', key: 'team-a', operation: 'embeddings' },
      async (call) => {
        call.usage({ inputTokens: 10 });
        call.usage({ inputTokens: 5, outputTokens: 2 });
      },
    );
    await telemetry.collect();
    const series = {
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'custom',
      'gen_ai.request.model': 'm',
      'headroom.key': 'team-a',
    };
    expect(
      telemetry.points('headroom.tokens').map((point) => [point.attributes, point.value]),
    ).toEqual([
      [{ ...series, 'gen_ai.token.type': 'input' }, 15],
      [{ ...series, 'gen_ai.token.type': 'output' }, 2],
    ]);
    expect(telemetry.sum('headroom.requests', { ...series, 'headroom.outcome': 'ok' })).toBe(1);
    expect(onlySpan(telemetry.spans(), 'embeddings m').attributes['headroom.attempts']).toBe(1);
  });

  it.each([
    ['a 429 error', Object.assign(new Error('slow down'), { status: 429 }), 'rate_limited', '429'],
    ['a 503 error', Object.assign(new Error('unavailable'), { statusCode: 503 }), 'error', '503'],
    ['a TypeError', new TypeError('fetch failed'), 'error', 'TypeError'],
    ['a plain Error', new Error('nope'), 'error', '_OTHER'],
  ])('classifies %s, and the caller gets the same error', async (_, failure, outcome, type) => {
    const telemetry = open.telemetry();
    const promise = telemetry.headroom.trackCall({ provider: 'custom', model: 'm' }, async () => {
      throw failure;
    });
    await expect(promise).rejects.toBe(failure);
    await telemetry.collect();
    const call = onlySpan(telemetry.spans(), 'chat m');
    expect(call.attributes['headroom.outcome']).toBe(outcome);
    expect(call.attributes['error.type']).toBe(type);
    expect(call.status).toEqual({ code: SpanStatusCode.ERROR, message: failure.message });
    expect(telemetry.sum('headroom.calls', { 'headroom.outcome': outcome })).toBe(1);
    expect(telemetry.sum('headroom.requests', { 'headroom.outcome': outcome })).toBe(1);
  });

  it('a synchronous throw is rethrown and the call still ends', async () => {
    const telemetry = open.telemetry();
    const failure = new RangeError('bad input');
    expect(() =>
      telemetry.headroom.trackCall({ provider: 'custom', model: 'm' }, () => {
        throw failure;
      }),
    ).toThrow(failure);
    await telemetry.collect();
    expect(telemetry.sum('headroom.calls', { 'headroom.outcome': 'error' })).toBe(1);
    expect(telemetry.sum('headroom.calls.active')).toBe(0);
  });

  it('an attempt that gets no response at all is an error attempt', async () => {
    const telemetry = open.telemetry();
    const url = `http://127.0.0.1:${await closedPort()}/v1/chat/completions`;
    const failure = await telemetry.headroom
      .trackCall({ provider: 'custom', model: 'm' }, (call) =>
        call.attempt(() => fetch(url, { method: 'POST' })),
      )
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(TypeError);
    await telemetry.collect();
    const call = onlySpan(telemetry.spans(), 'chat m');
    const [attempt] = childrenOf(telemetry.spans(), call);
    expect(attempt!.attributes).toEqual({
      'http.request.method': 'POST',
      'error.type': 'TypeError',
    });
    expect(attempt!.status.code).toBe(SpanStatusCode.ERROR);
    expect(telemetry.sum('headroom.requests', { 'headroom.outcome': 'error' })).toBe(1);
  });
});

describe('tenants', () => {
  it('withTenant() tags the calls inside it; a client option and the init default also work', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry({ tenant: 'fallback' });
    const { headroom } = telemetry;
    const baseURL = `${mock.url}/v1`;
    const client = headroom.instrument(new OpenAI({ apiKey: KEY, baseURL, maxRetries: 0 }));
    const pinned = headroom.instrument(new OpenAI({ apiKey: KEY, baseURL, maxRetries: 0 }), {
      tenant: 'pinned',
    });
    const create = (which: OpenAI) =>
      which.chat.completions.create({ model: 'gpt-4o-mini', messages });

    await create(client);
    await headroom.withTenant('acme', async () => {
      await create(client);
      await headroom.withTenant('globex', () => create(client));
      // The client's own tenant wins over the scope's.
      await create(pinned);
    });

    await telemetry.collect();
    const series = callAttributes(mock, { 'headroom.key': FINGERPRINT });
    const byTenant = (point: { attributes: Record<string, unknown> }) =>
      String(point.attributes['headroom.tenant']);
    expect(
      telemetry
        .points('headroom.calls')
        .sort((a, b) => byTenant(a).localeCompare(byTenant(b)))
        .map((point) => [point.attributes, point.value]),
    ).toEqual(
      ['acme', 'fallback', 'globex', 'pinned'].map((tenant) => [
        { ...series, 'headroom.tenant': tenant, 'headroom.outcome': 'ok' },
        1,
      ]),
    );
  });
});
