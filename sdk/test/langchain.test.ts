import { createHash } from 'node:crypto';
import { ChatOpenAI } from '@langchain/openai';
import { SpanKind } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { childrenOf, countTokens, onlySpan, resources, stats } from './mock.js';

const KEY = 'sk-langchain-test';
const FINGERPRINT = `key-${createHash('sha256').update(KEY).digest('hex').slice(0, 8)}`;
const MODEL = 'gpt-4o-mini';
const usage = countTokens({ messages: [{ content: 'Hello there' }] });

// ChatOpenAI makes its `openai` client with `maxRetries: 0` and retries itself; the call has no
// server address because LangChain, not the client, is what starts it.
const series = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': MODEL,
  'headroom.key': FINGERPRINT,
};

const open = resources();
afterEach(() => open.close());

async function setUp(maxRetries: number) {
  const mock = await open.mock();
  const telemetry = open.telemetry();
  const model = telemetry.headroom.instrument(
    new ChatOpenAI({
      model: MODEL,
      apiKey: KEY,
      configuration: { baseURL: `${mock.url}/v1` },
      maxRetries,
    }),
  );
  return { mock, telemetry, model };
}

const pointsOf =
  (telemetry: { points(name: string): Array<{ attributes: object; value: any }> }) =>
  (name: string) =>
    telemetry.points(name).map((point) => [point.attributes, point.value]);

describe('ChatOpenAI (@langchain/openai)', () => {
  it('a successful invoke reports its tokens exactly once', async () => {
    const { mock, telemetry, model } = await setUp(0);

    const reply = await model.invoke('Hello there');
    expect(reply.usage_metadata?.input_tokens).toBe(usage.inputTokens);

    await telemetry.collect();
    const points = pointsOf(telemetry);
    expect(points('headroom.calls')).toEqual([[{ ...series, 'headroom.outcome': 'ok' }, 1]]);
    expect(points('headroom.requests')).toEqual([[{ ...series, 'headroom.outcome': 'ok' }, 1]]);
    expect(points('headroom.tokens')).toEqual([
      [{ ...series, 'gen_ai.token.type': 'input' }, usage.inputTokens],
      [{ ...series, 'gen_ai.token.type': 'output' }, usage.outputTokens],
    ]);
    const truth = await stats(mock);
    expect(truth.totals.tokens).toEqual({
      input: usage.inputTokens,
      output: usage.outputTokens,
      total: usage.totalTokens,
    });
    // One logical call span (LangChain's): the inner client call did not start a second one, and
    // its attempt, answered at once, needs no span of its own.
    const spans = telemetry.spans();
    const call = onlySpan(spans, `chat ${MODEL}`);
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.attributes).toMatchObject({
      'headroom.attempts': 1,
      'gen_ai.usage.input_tokens': usage.inputTokens,
      'gen_ai.usage.output_tokens': usage.outputTokens,
    });
    expect(spans).toHaveLength(1);
  });

  it('a streamed reply reports its tokens exactly once', async () => {
    const { mock, telemetry, model } = await setUp(0);

    let text = '';
    for await (const chunk of await model.stream('Hello there')) text += chunk.content;
    expect(text).toHaveLength(usage.outputTokens * 4);

    await telemetry.collect();
    const points = pointsOf(telemetry);
    expect(points('headroom.calls')).toEqual([[{ ...series, 'headroom.outcome': 'ok' }, 1]]);
    expect(points('headroom.tokens')).toEqual([
      [{ ...series, 'gen_ai.token.type': 'input' }, usage.inputTokens],
      [{ ...series, 'gen_ai.token.type': 'output' }, usage.outputTokens],
    ]);
    expect((await stats(mock)).totals.tokens.total).toBe(usage.totalTokens);
    expect(telemetry.sum('headroom.calls.active')).toBe(0);
  });

  it("LangChain's own retries of 429s: every HTTP attempt counted, one logical call", async () => {
    // LangChain retries with p-retry: at least 1 s, then 2 s, randomised, and no option shortens
    // it, so this one test takes 3–6 s. maxRetries 2: three attempts, all answered 429.
    const { mock, telemetry, model } = await setUp(2);
    mock.script([429, 429, 429], { key: KEY });

    const error = await model.invoke('Hello there').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 429, lc_error_code: 'MODEL_RATE_LIMIT' });

    await telemetry.collect();
    const points = pointsOf(telemetry);
    expect(points('headroom.requests')).toEqual([
      [{ ...series, 'headroom.outcome': 'rate_limited' }, 3],
    ]);
    expect(points('headroom.calls')).toEqual([
      [{ ...series, 'headroom.outcome': 'rate_limited' }, 1],
    ]);
    expect(points('headroom.tokens')).toEqual([]);
    // Each retry is LangChain asking its client again: the framework layer.
    expect(points('headroom.retries')).toEqual([
      [{ ...series, 'headroom.retry.layer': 'framework' }, 2],
    ]);
    const truth = await stats(mock);
    expect(truth.keys[KEY]).toMatchObject({ requests: 3, rateLimited: 3, admitted: 0 });
    expect(telemetry.sum('headroom.requests')).toBe(truth.totals.requests);

    const spans = telemetry.spans();
    const call = onlySpan(spans, `chat ${MODEL}`);
    expect(call.attributes).toEqual({
      ...series,
      'headroom.outcome': 'rate_limited',
      'headroom.attempts': 3,
      'error.type': '429',
    });
    expect(
      childrenOf(spans, call).map((span) => [
        span.attributes['http.response.status_code'],
        span.attributes['http.request.resend_count'],
      ]),
    ).toEqual([
      [429, undefined],
      [429, 1],
      [429, 2],
    ]);
  });

  it('instrumenting the same model twice counts each call once', async () => {
    const { telemetry, model } = await setUp(0);
    telemetry.headroom.instrument(model);

    await model.invoke('Hello there');
    await telemetry.collect();
    expect(pointsOf(telemetry)('headroom.calls')).toEqual([
      [{ ...series, 'headroom.outcome': 'ok' }, 1],
    ]);
    expect(telemetry.sum('headroom.tokens')).toBe(usage.totalTokens);
  });
});
