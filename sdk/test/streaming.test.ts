import { createHash } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { Stream as AnthropicStream } from '@anthropic-ai/sdk/core/streaming';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { hrTime, hrTimeToNanoseconds } from '@opentelemetry/core';
import OpenAI from 'openai';
import { Stream } from 'openai/core/streaming';
import { afterEach, describe, expect, it } from 'vitest';
import { callAttributes, countTokens, onlySpan, resources } from './mock.js';

const KEY = 'sk-stream-test';
const FINGERPRINT = `key-${createHash('sha256').update(KEY).digest('hex').slice(0, 8)}`;
const messages = [{ role: 'user' as const, content: 'Tell me a story about the sea' }];
const usage = countTokens({ messages });
const anthropicUsage = countTokens({ messages, max_tokens: 64 });

const open = resources();
afterEach(() => open.close());

async function setUp() {
  const mock = await open.mock({ latency: { fixedMs: 20 } });
  const telemetry = open.telemetry();
  const openai = telemetry.headroom.instrument(
    new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
  );
  const anthropic = telemetry.headroom.instrument(
    new Anthropic({ apiKey: KEY, baseURL: mock.url, maxRetries: 0 }),
  );
  return { mock, telemetry, openai, anthropic };
}

describe('openai streams', () => {
  it('counts the tokens of the usage chunk, ends the call span with the stream, returns the original Stream', async () => {
    const { mock, telemetry, openai } = await setUp();
    const series = callAttributes(mock, { 'headroom.key': FINGERPRINT });

    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(stream).toBeInstanceOf(Stream);

    let text = '';
    let chunks = 0;
    let lastChunkAt = 0;
    for await (const chunk of stream) {
      if (chunks++ === 0) {
        // Mid-stream: the attempt has its response, the logical call is still running.
        await telemetry.collect();
        expect(telemetry.spans().map((span) => span.name)).toEqual([]);
        expect(telemetry.sum('headroom.calls.active', series)).toBe(1);
      }
      text += chunk.choices[0]?.delta.content ?? '';
      lastChunkAt = hrTimeToNanoseconds(hrTime());
    }
    expect(text).toHaveLength(usage.outputTokens * 4);

    await telemetry.collect();
    const call = onlySpan(telemetry.spans(), 'chat gpt-4o-mini');
    expect(call.attributes).toMatchObject({
      'headroom.outcome': 'ok',
      'gen_ai.usage.input_tokens': usage.inputTokens,
      'gen_ai.usage.output_tokens': usage.outputTokens,
      'gen_ai.response.finish_reasons': [usage.truncated ? 'length' : 'stop'],
    });
    // The call span ends after the last chunk was read, not when the response headers came.
    // HrTimes are [seconds, nanoseconds]: compared as numbers, not as the strings `>=` makes.
    expect(lastChunkAt).toBeGreaterThan(0);
    expect(hrTimeToNanoseconds(call.endTime)).toBeGreaterThanOrEqual(lastChunkAt);
    expect(telemetry.sum('headroom.calls.active', series)).toBe(0);
    expect(telemetry.sum('headroom.calls', { ...series, 'headroom.outcome': 'ok' })).toBe(1);
    expect(
      telemetry
        .points('headroom.tokens')
        .map((point) => [point.attributes['gen_ai.token.type'], point.value]),
    ).toEqual([
      ['input', usage.inputTokens],
      ['output', usage.outputTokens],
    ]);
  });

  it('breaking out early still ends the call, as ok: the consumer chose to stop', async () => {
    const { mock, telemetry, openai } = await setUp();
    const series = callAttributes(mock, { 'headroom.key': FINGERPRINT });

    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let chunks = 0;
    for await (const _ of stream) {
      if (++chunks === 2) break;
    }
    // The client released the HTTP body.
    expect(stream.controller.signal.aborted).toBe(true);

    await telemetry.collect();
    expect(telemetry.sum('headroom.calls.active', series)).toBe(0);
    expect(
      telemetry.points('headroom.calls').map((point) => [point.attributes, point.value]),
    ).toEqual([[{ ...series, 'headroom.outcome': 'ok' }, 1]]);
    const call = onlySpan(telemetry.spans(), 'chat gpt-4o-mini');
    expect(call.attributes['headroom.outcome']).toBe('ok');
    expect(call.attributes['error.type']).toBeUndefined();
    // The usage chunk was never read: no tokens are made up.
    expect(telemetry.points('headroom.tokens')).toEqual([]);
  });

  it('a stream aborted by the app ends the call as an error', async () => {
    const { mock, telemetry, openai } = await setUp();
    const series = callAttributes(mock, { 'headroom.key': FINGERPRINT });

    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
    });
    stream.controller.abort();

    await telemetry.collect();
    expect(telemetry.sum('headroom.calls.active', series)).toBe(0);
    expect(telemetry.sum('headroom.calls', { ...series, 'headroom.outcome': 'error' })).toBe(1);
  });
});

describe('anthropic streams', () => {
  it('messages.stream(): tokens counted, the helper is the original MessageStream', async () => {
    const { mock, telemetry, anthropic } = await setUp();
    const series = callAttributes(mock, { 'headroom.key': FINGERPRINT }, 'anthropic', 'claude-x');

    const helper = anthropic.messages.stream({ model: 'claude-x', max_tokens: 64, messages });
    expect(helper).toBeInstanceOf(MessageStream);
    const message = await helper.finalMessage();
    expect(message.usage.input_tokens).toBe(anthropicUsage.inputTokens);

    await telemetry.collect();
    expect(telemetry.sum('headroom.calls', { ...series, 'headroom.outcome': 'ok' })).toBe(1);
    expect(telemetry.sum('headroom.calls.active', series)).toBe(0);
    expect(
      telemetry.points('headroom.tokens').map((point) => [point.attributes, point.value]),
    ).toEqual([
      [{ ...series, 'gen_ai.token.type': 'input' }, anthropicUsage.inputTokens],
      [{ ...series, 'gen_ai.token.type': 'output' }, anthropicUsage.outputTokens],
    ]);
    const call = onlySpan(telemetry.spans(), 'chat claude-x');
    expect(call.attributes).toMatchObject({
      'headroom.outcome': 'ok',
      'gen_ai.usage.input_tokens': anthropicUsage.inputTokens,
      'gen_ai.usage.output_tokens': anthropicUsage.outputTokens,
      'gen_ai.response.finish_reasons': [anthropicUsage.truncated ? 'max_tokens' : 'end_turn'],
    });
  });

  it('messages.create({ stream: true }): tokens counted, the original Stream is returned', async () => {
    const { mock, telemetry, anthropic } = await setUp();
    const series = callAttributes(mock, { 'headroom.key': FINGERPRINT }, 'anthropic', 'claude-x');

    const stream = await anthropic.messages.create({
      model: 'claude-x',
      max_tokens: 64,
      messages,
      stream: true,
    });
    expect(stream).toBeInstanceOf(AnthropicStream);
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(0)).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');

    await telemetry.collect();
    expect(telemetry.sum('headroom.calls', { ...series, 'headroom.outcome': 'ok' })).toBe(1);
    expect(telemetry.sum('headroom.tokens', { 'gen_ai.token.type': 'input' })).toBe(
      anthropicUsage.inputTokens,
    );
    expect(telemetry.sum('headroom.tokens', { 'gen_ai.token.type': 'output' })).toBe(
      anthropicUsage.outputTokens,
    );
  });

  it('breaking out early ends the call as ok and counts the input tokens already reported', async () => {
    const { mock, telemetry, anthropic } = await setUp();
    const series = callAttributes(mock, { 'headroom.key': FINGERPRINT }, 'anthropic', 'claude-x');

    const stream = await anthropic.messages.create({
      model: 'claude-x',
      max_tokens: 64,
      messages,
      stream: true,
    });
    for await (const event of stream) {
      if (event.type === 'content_block_delta') break;
    }

    await telemetry.collect();
    expect(telemetry.sum('headroom.calls.active', series)).toBe(0);
    expect(
      telemetry.points('headroom.calls').map((point) => [point.attributes, point.value]),
    ).toEqual([[{ ...series, 'headroom.outcome': 'ok' }, 1]]);
    // message_start carried the input tokens (and the output so far, which the mock sends as 0).
    expect(telemetry.sum('headroom.tokens', { 'gen_ai.token.type': 'input' })).toBe(
      anthropicUsage.inputTokens,
    );
  });
});
