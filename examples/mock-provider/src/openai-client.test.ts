import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countTokens } from './count-tokens.js';
import { replyText } from './reply-text.js';
import { type MockProvider, startMockProvider } from './start-mock-provider.js';

const messages = [{ role: 'user' as const, content: 'Hello there' }];

describe('with the real openai client', () => {
  let mock: MockProvider;
  let client: OpenAI;

  beforeEach(async () => {
    mock = await startMockProvider({
      port: 0,
      keys: { 'sk-a': { rpm: 600, tpm: 100_000, concurrency: 5 } },
    });
    client = new OpenAI({ apiKey: 'sk-a', baseURL: `${mock.url}/v1` });
  });

  afterEach(async () => {
    await mock.close();
  });

  it('reads a plain completion', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages, max_completion_tokens: 10 })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('gpt-4o-mini');
    expect(data.choices[0]?.message).toMatchObject({ role: 'assistant', content: replyText(10) });
    expect(data.choices[0]?.finish_reason).toBe('length');
    expect(data.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 10, total_tokens: 17 });
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('599');
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe('99983');
  });

  it('streams chunks and the final usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    const expected = countTokens({ messages });
    expect(text).toBe(replyText(expected.outputTokens));
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({
      prompt_tokens: expected.inputTokens,
      completion_tokens: expected.outputTokens,
      total_tokens: expected.totalTokens,
    });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('streams without a usage chunk unless asked', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.choices.length === 1 && chunk.usage === undefined)).toBe(
      true,
    );
  });

  it('surfaces a 429 as RateLimitError', async () => {
    mock.script([429]);
    const noRetry = new OpenAI({ apiKey: 'sk-a', baseURL: `${mock.url}/v1`, maxRetries: 0 });
    const error = await noRetry.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.type).toBe('requests');
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.headers.get('retry-after-ms')).toBe('20');
    expect(error.headers.get('x-ratelimit-limit-requests')).toBe('600');
  });

  it('lets the client retry scripted 429s and 500s quickly', async () => {
    mock.script([429, { status: 500 }, 200]);
    const started = performance.now();
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    // Default backoff would be 0.5 s + 1 s; retry-after-ms of 20 ms keeps this well under that.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(mock.stats().keys['sk-a']).toMatchObject({
      requests: 3,
      admitted: 1,
      rateLimited: 1,
      errors: 1,
    });
  });

  it('surfaces a bad request as BadRequestError', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [] })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe('messages');
  });
});
