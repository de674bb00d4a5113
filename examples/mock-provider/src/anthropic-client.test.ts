import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countTokens } from './count-tokens.js';
import { replyText } from './reply-text.js';
import { type MockProvider, startMockProvider } from './start-mock-provider.js';

const messages = [{ role: 'user' as const, content: 'Hello there' }];
const expected = countTokens({ messages, max_tokens: 64 });

describe('with the real @anthropic-ai/sdk client', () => {
  let mock: MockProvider;
  let client: Anthropic;

  beforeEach(async () => {
    mock = await startMockProvider({ port: 0, keys: { 'sk-ant': { rpm: 600, tpm: 100_000 } } });
    client = new Anthropic({ apiKey: 'sk-ant', baseURL: mock.url });
  });

  afterEach(async () => {
    await mock.close();
  });

  it('reads a plain message', async () => {
    const { data, response } = await client.messages
      .create({ model: 'claude-test', max_tokens: 64, system: 'Be brief.', messages })
      .withResponse();
    const withSystem = countTokens({ messages, system: 'Be brief.', max_tokens: 64 });
    expect(data).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [{ type: 'text', text: replyText(withSystem.outputTokens) }],
      stop_reason: 'end_turn',
      usage: { input_tokens: withSystem.inputTokens, output_tokens: withSystem.outputTokens },
    });
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('599');
    expect(response.headers.get('request-id')).toMatch(/^req_/);
  });

  it('streams with messages.stream()', async () => {
    const stream = client.messages.stream({ model: 'claude-test', max_tokens: 64, messages });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const message = await stream.finalMessage();
    expect(text).toBe(replyText(expected.outputTokens));
    expect(message.content).toMatchObject([{ type: 'text', text }]);
    expect(message.usage).toMatchObject({
      input_tokens: expected.inputTokens,
      output_tokens: expected.outputTokens,
    });
    expect(message.stop_reason).toBe('end_turn');
  });

  it('streams the raw event sequence with stream: true', async () => {
    const stream = await client.messages.create({
      model: 'claude-test',
      max_tokens: 3,
      messages,
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('surfaces a 429 as RateLimitError', async () => {
    mock.script([{ status: 429, retryAfterMs: 1500 }], { key: 'sk-ant' });
    const noRetry = new Anthropic({ apiKey: 'sk-ant', baseURL: mock.url, maxRetries: 0 });
    const error = await noRetry.messages
      .create({ model: 'claude-test', max_tokens: 64, messages })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(error.headers.get('retry-after')).toBe('2');
    expect(error.headers.get('retry-after-ms')).toBe('1500');
  });

  it('retries a scripted 529 overload and then succeeds', async () => {
    mock.script([529, 200]);
    const message = await client.messages.create({
      model: 'claude-test',
      max_tokens: 64,
      messages,
    });
    expect(message.type).toBe('message');
    expect(mock.stats().totals).toMatchObject({ requests: 2, errors: 1, admitted: 1 });
  });

  it('surfaces a 529 body as overloaded_error', async () => {
    mock.script([529]);
    const noRetry = new Anthropic({ apiKey: 'sk-ant', baseURL: mock.url, maxRetries: 0 });
    const error = await noRetry.messages
      .create({ model: 'claude-test', max_tokens: 64, messages })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error.status).toBe(529);
    expect(error.error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });
});
