import { expect, it } from 'vitest';
import { createMockProvider } from './create-mock-provider.js';
import { anthropicRequest, chatBody, fakeClock, headersOf } from './test-helpers.js';

it('sends the exact Anthropic headers and 429 body', async () => {
  const clock = fakeClock(Date.UTC(2025, 0, 1, 12, 0, 0));
  const { app } = createMockProvider({ keys: { 'sk-a': { rpm: 60, tpm: 1000 } }, now: clock.now });
  clock.advance(250);
  const admitted = await anthropicRequest(app, chatBody({ model: 'claude-test', max_tokens: 100 }));
  expect(admitted.status).toBe(200);
  const reset = '2025-01-01T12:01:01Z'; // 12:00:00.250 + 60 s, rounded up to the second
  expect(headersOf(admitted, 'anthropic-ratelimit-')).toEqual({
    'anthropic-ratelimit-requests-limit': '60',
    'anthropic-ratelimit-requests-remaining': '59',
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-tokens-limit': '1000',
    'anthropic-ratelimit-tokens-remaining': '978',
    'anthropic-ratelimit-tokens-reset': reset,
    'anthropic-ratelimit-input-tokens-limit': '1000',
    'anthropic-ratelimit-input-tokens-remaining': '978',
    'anthropic-ratelimit-input-tokens-reset': reset,
    'anthropic-ratelimit-output-tokens-limit': '1000',
    'anthropic-ratelimit-output-tokens-remaining': '978',
    'anthropic-ratelimit-output-tokens-reset': reset,
  });
  expect(admitted.headers.get('request-id')).toBe('req_mock00000000000000000001');
  expect(await admitted.json()).toEqual({
    id: 'msg_mock0000000000000001',
    type: 'message',
    role: 'assistant',
    model: 'claude-test',
    content: [
      { type: 'text', text: 'This is a mock reply from the Headroom local provider. This ' },
    ],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 7,
      output_tokens: 15,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      service_tier: 'standard',
    },
  });

  clock.advance(100);
  const refused = await anthropicRequest(app, chatBody({ model: 'claude-test' }));
  expect(refused.status).toBe(429);
  expect(headersOf(refused, 'retry-')).toEqual({ 'retry-after': '1', 'retry-after-ms': '650' });
  expect(refused.headers.get('anthropic-ratelimit-requests-remaining')).toBe('59');
  expect(await refused.json()).toEqual({
    type: 'error',
    error: {
      type: 'rate_limit_error',
      message: expect.stringContaining('of 60 requests per minute'),
    },
  });
});

it('input and output tokens limited apart (itpm, otpm): each has its family, tokens is the tighter', async () => {
  const clock = fakeClock(Date.UTC(2025, 0, 1, 12, 0, 0));
  const { app } = createMockProvider({
    keys: { 'sk-a': { itpm: 6000, otpm: 1800 } },
    now: clock.now,
  });
  // "Hello there": 7 input and 15 output tokens. Output's second allows 30: two such requests.
  const first = await anthropicRequest(app, chatBody({ model: 'claude-test' }));
  const second = await anthropicRequest(app, chatBody({ model: 'claude-test' }));
  expect([first.status, second.status]).toEqual([200, 200]);
  const reset = '2025-01-01T12:01:00Z';
  expect(headersOf(second, 'anthropic-ratelimit-')).toEqual({
    'anthropic-ratelimit-tokens-limit': '1800',
    'anthropic-ratelimit-tokens-remaining': '1770',
    'anthropic-ratelimit-tokens-reset': reset,
    'anthropic-ratelimit-input-tokens-limit': '6000',
    'anthropic-ratelimit-input-tokens-remaining': '5986',
    'anthropic-ratelimit-input-tokens-reset': reset,
    'anthropic-ratelimit-output-tokens-limit': '1800',
    'anthropic-ratelimit-output-tokens-remaining': '1770',
    'anthropic-ratelimit-output-tokens-reset': reset,
  });
  clock.advance(400);
  const refused = await anthropicRequest(app, chatBody({ model: 'claude-test' }));
  expect(refused.status).toBe(429);
  expect(headersOf(refused, 'retry-')).toEqual({ 'retry-after': '1', 'retry-after-ms': '600' });
  expect(await refused.json()).toMatchObject({
    error: {
      type: 'rate_limit_error',
      message: expect.stringContaining('of 1800 output tokens per minute'),
    },
  });
  clock.advance(600);
  const next = await anthropicRequest(app, chatBody({ model: 'claude-test' }));
  expect(next.status).toBe(200);
});
