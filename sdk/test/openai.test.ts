import { createHash } from 'node:crypto';
import { type HrTime, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToNanoseconds } from '@opentelemetry/core';
import OpenAI, { APIPromise, RateLimitError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallEndEvent } from '../src/index.js';
import {
  callAttributes,
  childrenOf,
  countTokens,
  gate,
  onlySpan,
  resources,
  stats,
} from './mock.js';

const KEY = 'sk-openai-test';
const FINGERPRINT = `key-${createHash('sha256').update(KEY).digest('hex').slice(0, 8)}`;
const MODEL = 'gpt-4o-mini';
const messages = [{ role: 'user' as const, content: 'Hello there' }];
const usage = countTokens({ messages });

const open = resources();
afterEach(() => open.close());

async function setUp(
  mockOptions: Parameters<typeof open.mock>[0] = {},
  clientOptions: ConstructorParameters<typeof OpenAI>[0] = {},
) {
  const mock = await open.mock(mockOptions);
  const telemetry = open.telemetry();
  const client = telemetry.headroom.instrument(
    new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0, ...clientOptions }),
  );
  const series = callAttributes(mock, { 'headroom.key': FINGERPRINT });
  return { mock, telemetry, client, series };
}

/** Resolves once `count` calls have ended, with their `onCallEnd` events: no waiting on time. */
function callEnds(count: number) {
  const events: CallEndEvent[] = [];
  let done!: (events: CallEndEvent[]) => void;
  const all = new Promise<CallEndEvent[]>((resolve) => {
    done = resolve;
  });
  return {
    all,
    record(event: CallEndEvent) {
      events.push(event);
      if (events.length === count) done(events);
    },
  };
}

function values(telemetry: { points(name: string): Array<{ attributes: object; value: any }> }) {
  return (name: string) =>
    telemetry.points(name).map((point) => ({ attributes: point.attributes, value: point.value }));
}

describe('openai client: fan-out', () => {
  it('20 concurrent calls: peak 20 in flight, back to 0, every call, request and token counted', async () => {
    // Requests are held until all 20 are in flight: the overlap is certain, not a matter of timing.
    const held = gate(20, { hold: true });
    const { mock, telemetry, client, series } = await setUp(
      { latency: { fixedMs: 50 } },
      { fetch: held.fetch },
    );
    const points = values(telemetry);

    const calls = Array.from({ length: 20 }, () =>
      client.chat.completions.create({ model: MODEL, messages }),
    );
    await held.reached;
    await telemetry.collect();
    expect(points('headroom.calls.active')).toEqual([{ attributes: series, value: 20 }]);
    expect(points('headroom.calls')).toEqual([]);

    held.open();
    const completions = await Promise.all(calls);
    expect(completions.map((completion) => completion.usage?.prompt_tokens)).toEqual(
      Array(20).fill(usage.inputTokens),
    );
    await telemetry.collect();
    // Delta points: +20 while in flight, -20 once they ended, so the sum is what is in flight now.
    expect(points('headroom.calls.active')).toEqual([
      { attributes: series, value: 20 },
      { attributes: series, value: -20 },
    ]);
    expect(telemetry.sum('headroom.calls.active', series)).toBe(0);
    // The peak since the previous export: 20 in both intervals (the second began with 20 in flight).
    expect(points('headroom.calls.active.max')).toEqual([
      { attributes: series, value: 20 },
      { attributes: series, value: 20 },
    ]);
    expect(points('headroom.calls')).toEqual([
      { attributes: { ...series, 'headroom.outcome': 'ok' }, value: 20 },
    ]);
    expect(points('headroom.requests')).toEqual([
      { attributes: { ...series, 'headroom.outcome': 'ok' }, value: 20 },
    ]);
    expect(points('headroom.tokens')).toEqual([
      { attributes: { ...series, 'gen_ai.token.type': 'input' }, value: usage.inputTokens * 20 },
      { attributes: { ...series, 'gen_ai.token.type': 'output' }, value: usage.outputTokens * 20 },
    ]);
    const truth = await stats(mock);
    expect(truth.keys[KEY]).toMatchObject({
      requests: 20,
      admitted: 20,
      tokens: { input: usage.inputTokens * 20, output: usage.outputTokens * 20 },
    });
    expect(telemetry.sum('headroom.tokens', { 'gen_ai.token.type': 'input' })).toBe(
      truth.totals.tokens.input,
    );
    expect(telemetry.sum('headroom.tokens', { 'gen_ai.token.type': 'output' })).toBe(
      truth.totals.tokens.output,
    );
    // The GenAI histograms: one duration and one token usage record per call.
    const duration = telemetry.points('gen_ai.client.operation.duration');
    expect(duration.map((point) => [point.attributes, point.value.count])).toEqual([[series, 20]]);
    const tokenUsage = telemetry.points('gen_ai.client.token.usage');
    expect(
      tokenUsage.map((point) => [point.attributes, point.value.count, point.value.sum]),
    ).toEqual([
      [{ ...series, 'gen_ai.token.type': 'input' }, 20, usage.inputTokens * 20],
      [{ ...series, 'gen_ai.token.type': 'output' }, 20, usage.outputTokens * 20],
    ]);
    expect(telemetry.spans().filter((span) => span.name === `chat ${MODEL}`)).toHaveLength(20);

    // A quiet interval after the burst: the peak resets to what is in flight, 0.
    telemetry.reset();
    await telemetry.collect();
    expect(points('headroom.calls.active.max')).toEqual([{ attributes: series, value: 0 }]);
  });
});

describe('openai client: retries', () => {
  it('429 then 200: one logical call, two attempts as child spans of the call span', async () => {
    const { mock, telemetry, client, series } = await setUp({}, { maxRetries: 2 });
    mock.script([{ status: 429, latencyMs: 40 }, 200], { key: KEY });

    const completion = await client.chat.completions.create({ model: MODEL, messages });
    await telemetry.collect();

    expect(values(telemetry)('headroom.calls')).toEqual([
      { attributes: { ...series, 'headroom.outcome': 'ok' }, value: 1 },
    ]);
    expect(values(telemetry)('headroom.requests')).toEqual([
      { attributes: { ...series, 'headroom.outcome': 'ok' }, value: 1 },
      { attributes: { ...series, 'headroom.outcome': 'rate_limited' }, value: 1 },
    ]);
    const spans = telemetry.spans();
    const call = onlySpan(spans, `chat ${MODEL}`);
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.parentSpanContext).toBeUndefined();
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(call.attributes).toEqual({
      ...series,
      'headroom.outcome': 'ok',
      'headroom.attempts': 2,
      'gen_ai.usage.input_tokens': usage.inputTokens,
      'gen_ai.usage.output_tokens': usage.outputTokens,
      'gen_ai.response.model': MODEL,
      'gen_ai.response.id': completion.id,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    const attempts = childrenOf(spans, call);
    expect(attempts.map((span) => [span.name, span.kind])).toEqual([
      ['POST', SpanKind.CLIENT],
      ['POST', SpanKind.CLIENT],
    ]);
    expect(attempts.map((span) => span.spanContext().traceId)).toEqual([
      call.spanContext().traceId,
      call.spanContext().traceId,
    ]);
    expect(attempts[0]!.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': mock.host,
      'http.response.status_code': 429,
      'error.type': '429',
    });
    expect(attempts[0]!.status.code).toBe(SpanStatusCode.ERROR);
    // The first attempt's span is made once it failed, dated from when the attempt began: it
    // lasts the 429's 40 ms, inside the call and before the retry (span start times are whole
    // milliseconds of the wall clock, so the order holds to within one).
    const millis = (time: HrTime) => hrTimeToNanoseconds(time) / 1e6;
    expect(millis(attempts[0]!.endTime) - millis(attempts[0]!.startTime)).toBeGreaterThanOrEqual(
      40,
    );
    expect(millis(attempts[0]!.startTime)).toBeGreaterThan(millis(call.startTime) - 1);
    expect(millis(attempts[1]!.startTime)).toBeGreaterThan(millis(attempts[0]!.endTime) - 1);
    expect(attempts[1]!.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': mock.host,
      'http.request.resend_count': 1,
      'http.response.status_code': 200,
    });
    expect(spans).toHaveLength(3);
    expect((await stats(mock)).keys[KEY]).toMatchObject({
      requests: 2,
      rateLimited: 1,
      admitted: 1,
    });
  });

  it('maxRetries 0 and a 429: the call is rate_limited and the caller gets the same RateLimitError', async () => {
    const { mock, telemetry, client, series } = await setUp();
    mock.script([429], { key: KEY });

    const error = (await client.chat.completions
      .create({ model: MODEL, messages })
      .catch((caught: unknown) => caught)) as RateLimitError;

    // What an uninstrumented client throws for the same response, for comparison.
    const bare = new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 });
    mock.script([429], { key: KEY });
    const bareError = (await bare.chat.completions
      .create({ model: MODEL, messages })
      .catch((caught: unknown) => caught)) as RateLimitError;

    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.constructor).toBe(bareError.constructor);
    expect(error.message).toBe(bareError.message);
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.headers.get('retry-after-ms')).toBe('20');

    await telemetry.collect();
    const call = onlySpan(telemetry.spans(), `chat ${MODEL}`);
    expect(call.attributes).toEqual({
      ...series,
      'headroom.outcome': 'rate_limited',
      'headroom.attempts': 1,
      'error.type': '429',
    });
    expect(call.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: (error as Error).message,
    });
    expect(values(telemetry)('headroom.calls')).toEqual([
      { attributes: { ...series, 'headroom.outcome': 'rate_limited' }, value: 1 },
    ]);
    expect(values(telemetry)('headroom.requests')).toEqual([
      { attributes: { ...series, 'headroom.outcome': 'rate_limited' }, value: 1 },
    ]);
    const duration = telemetry.points('gen_ai.client.operation.duration');
    expect(duration.map((point) => [point.attributes, point.value.count])).toEqual([
      [{ ...series, 'error.type': '429' }, 1],
    ]);
    expect(telemetry.points('headroom.tokens')).toEqual([]);
  });
});

describe('openai client: what the caller gets back', () => {
  it('returns the original APIPromise, so withResponse() still works', async () => {
    const { telemetry, client, series } = await setUp();

    const promise = client.chat.completions.create({ model: MODEL, messages });
    expect(promise).toBeInstanceOf(APIPromise);
    const { data, response } = await promise.withResponse();
    expect(response.status).toBe(200);
    expect(data.usage?.completion_tokens).toBe(usage.outputTokens);

    await telemetry.collect();
    expect(values(telemetry)('headroom.calls')).toEqual([
      { attributes: { ...series, 'headroom.outcome': 'ok' }, value: 1 },
    ]);
    expect(telemetry.sum('headroom.tokens')).toBe(usage.totalTokens);
  });

  it('asResponse() hands the app an unread body, and the usage is still counted', async () => {
    const mock = await open.mock();
    const ended = callEnds(1);
    const telemetry = open.telemetry({ hooks: { onCallEnd: ended.record } });
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );

    const response = await client.chat.completions.create({ model: MODEL, messages }).asResponse();
    expect(response.bodyUsed).toBe(false);
    const body = (await response.json()) as OpenAI.ChatCompletion;
    expect(body.usage?.prompt_tokens).toBe(usage.inputTokens);

    const [event] = await ended.all;
    expect(event).toMatchObject({
      outcome: 'ok',
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
    });
    await telemetry.collect();
    expect(telemetry.sum('headroom.tokens', { 'gen_ai.token.type': 'input' })).toBe(
      usage.inputTokens,
    );
    expect(telemetry.sum('headroom.calls.active')).toBe(0);
  });

  it('a promise awaited only after its response arrived still reports its usage', async () => {
    const mock = await open.mock();
    const ended = callEnds(2);
    const telemetry = open.telemetry({ hooks: { onCallEnd: ended.record } });
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );

    // Started together, awaited one after the other: the second is parsed late.
    const first = client.chat.completions.create({ model: MODEL, messages });
    const second = client.chat.completions.create({ model: MODEL, messages });
    const events = await ended.all;
    expect((await first).usage?.total_tokens).toBe(usage.totalTokens);
    expect((await second).usage?.total_tokens).toBe(usage.totalTokens);

    expect(events.map((event) => [event.outcome, event.inputTokens, event.outputTokens])).toEqual([
      ['ok', usage.inputTokens, usage.outputTokens],
      ['ok', usage.inputTokens, usage.outputTokens],
    ]);
    await telemetry.collect();
    expect(telemetry.sum('headroom.tokens')).toBe(usage.totalTokens * 2);
  });

  it('instrumenting the same client twice counts each call once', async () => {
    const { telemetry, client, series } = await setUp();
    expect(telemetry.headroom.instrument(client)).toBe(client);
    telemetry.headroom.instrument(client);

    await client.chat.completions.create({ model: MODEL, messages });
    await telemetry.collect();

    expect(values(telemetry)('headroom.calls')).toEqual([
      { attributes: { ...series, 'headroom.outcome': 'ok' }, value: 1 },
    ]);
    expect(values(telemetry)('headroom.requests')).toEqual([
      { attributes: { ...series, 'headroom.outcome': 'ok' }, value: 1 },
    ]);
    expect(telemetry.sum('headroom.tokens')).toBe(usage.totalTokens);
    expect(telemetry.spans().map((span) => span.name)).toEqual([`chat ${MODEL}`]);
  });

  it('records nothing for a request that is no model call (models.list)', async () => {
    const { telemetry, client } = await setUp();
    await client.models.list().catch(() => undefined);
    await telemetry.collect();
    expect(telemetry.points('headroom.calls')).toEqual([]);
    expect(telemetry.points('headroom.requests')).toEqual([]);
    expect(telemetry.spans()).toEqual([]);
  });
});
