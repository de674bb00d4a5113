import { createHash } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { callAttributes, childrenOf, countTokens, onlySpan, resources, stats } from './mock.js';

const KEY = 'sk-ant-test';
const FINGERPRINT = `key-${createHash('sha256').update(KEY).digest('hex').slice(0, 8)}`;
const MODEL = 'claude-mock-1';
const system = 'You are terse.';
const messages = [{ role: 'user' as const, content: 'Hello there' }];
const usage = countTokens({ messages, system, max_tokens: 100 });

const open = resources();
afterEach(() => open.close());

async function setUp(maxRetries = 0) {
  const mock = await open.mock();
  const telemetry = open.telemetry();
  const client = telemetry.headroom.instrument(
    new Anthropic({ apiKey: KEY, baseURL: mock.url, maxRetries }),
  );
  const series = callAttributes(mock, { 'headroom.key': FINGERPRINT }, 'anthropic', MODEL);
  return { mock, telemetry, client, series };
}

const pointsOf =
  (telemetry: { points(name: string): Array<{ attributes: object; value: any }> }) =>
  (name: string) =>
    telemetry.points(name).map((point) => [point.attributes, point.value]);

describe('anthropic client', () => {
  it('a basic call: provider anthropic, one call, one attempt, tokens as the mock counts them', async () => {
    const { mock, telemetry, client, series } = await setUp();

    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 100,
      system,
      messages,
    });
    expect(message.usage.input_tokens).toBe(usage.inputTokens);

    await telemetry.collect();
    const points = pointsOf(telemetry);
    expect(points('headroom.calls')).toEqual([[{ ...series, 'headroom.outcome': 'ok' }, 1]]);
    expect(points('headroom.requests')).toEqual([[{ ...series, 'headroom.outcome': 'ok' }, 1]]);
    expect(points('headroom.tokens')).toEqual([
      [{ ...series, 'gen_ai.token.type': 'input' }, usage.inputTokens],
      [{ ...series, 'gen_ai.token.type': 'output' }, usage.outputTokens],
    ]);
    const truth = await stats(mock);
    expect(truth.keys[KEY]?.tokens).toEqual({
      input: usage.inputTokens,
      output: usage.outputTokens,
      total: usage.totalTokens,
    });

    const spans = telemetry.spans();
    const call = onlySpan(spans, `chat ${MODEL}`);
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.attributes).toEqual({
      ...series,
      'headroom.outcome': 'ok',
      'headroom.attempts': 1,
      'gen_ai.usage.input_tokens': usage.inputTokens,
      'gen_ai.usage.output_tokens': usage.outputTokens,
      'gen_ai.response.model': MODEL,
      'gen_ai.response.id': message.id,
      'gen_ai.response.finish_reasons': ['end_turn'],
    });
    // Answered on its first attempt: the call span says it all, no attempt span under it.
    expect(childrenOf(spans, call)).toEqual([]);
  });

  it('a scripted 529 (overloaded) is an error, not a rate limit', async () => {
    const { mock, telemetry, client, series } = await setUp();
    mock.script([529], { key: KEY });

    const error = await client.messages
      .create({ model: MODEL, max_tokens: 100, messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);

    await telemetry.collect();
    const points = pointsOf(telemetry);
    expect(points('headroom.calls')).toEqual([[{ ...series, 'headroom.outcome': 'error' }, 1]]);
    expect(points('headroom.requests')).toEqual([[{ ...series, 'headroom.outcome': 'error' }, 1]]);
    const call = onlySpan(telemetry.spans(), `chat ${MODEL}`);
    expect(call.attributes).toEqual({
      ...series,
      'headroom.outcome': 'error',
      'headroom.attempts': 1,
      'error.type': '529',
    });
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    const [attempt] = childrenOf(telemetry.spans(), call);
    expect(attempt!.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': mock.host,
      'http.response.status_code': 529,
      'error.type': '529',
    });
  });

  it("the client's own retry of a 529 is a second attempt of the same call", async () => {
    const { mock, telemetry, client, series } = await setUp(2);
    mock.script([529, 200], { key: KEY });

    await client.messages.create({ model: MODEL, max_tokens: 100, messages });

    await telemetry.collect();
    const points = pointsOf(telemetry);
    expect(points('headroom.calls')).toEqual([[{ ...series, 'headroom.outcome': 'ok' }, 1]]);
    expect(points('headroom.requests')).toEqual([
      [{ ...series, 'headroom.outcome': 'ok' }, 1],
      [{ ...series, 'headroom.outcome': 'error' }, 1],
    ]);
    const call = onlySpan(telemetry.spans(), `chat ${MODEL}`);
    expect(call.attributes['headroom.attempts']).toBe(2);
    expect(
      childrenOf(telemetry.spans(), call).map((span) => [
        span.attributes['http.response.status_code'],
        span.attributes['http.request.resend_count'],
      ]),
    ).toEqual([
      [529, undefined],
      [200, 1],
    ]);
  });

  it('a 429 with no retries left is rate_limited and the caller gets the RateLimitError', async () => {
    const { mock, telemetry, client, series } = await setUp();
    mock.script([429], { key: KEY });

    const error = await client.messages
      .create({ model: MODEL, max_tokens: 100, messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);

    await telemetry.collect();
    const points = pointsOf(telemetry);
    expect(points('headroom.calls')).toEqual([
      [{ ...series, 'headroom.outcome': 'rate_limited' }, 1],
    ]);
    expect(points('headroom.requests')).toEqual([
      [{ ...series, 'headroom.outcome': 'rate_limited' }, 1],
    ]);
    expect(onlySpan(telemetry.spans(), `chat ${MODEL}`).attributes['error.type']).toBe('429');
  });
});
