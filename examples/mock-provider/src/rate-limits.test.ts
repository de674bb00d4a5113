import { describe, expect, it } from 'vitest';
import { createMockProvider } from './create-mock-provider.js';
import { chatBody, fakeClock, headersOf, openaiRequest } from './test-helpers.js';

// Every request here is "Hello there": 7 input + 15 output = 22 tokens.
describe('rate limits', () => {
  it('refuses a burst beyond ceil(rpm / 60) in one second while the minute has room', async () => {
    const clock = fakeClock();
    const { app, stats } = createMockProvider({ keys: { 'sk-a': { rpm: 600 } }, now: clock.now });
    for (let index = 0; index < 10; index += 1) {
      expect((await openaiRequest(app, chatBody())).status).toBe(200);
    }
    clock.advance(880);
    const refused = await openaiRequest(app, chatBody());
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('590');
    expect(refused.headers.get('retry-after-ms')).toBe('120');
    expect(refused.headers.get('retry-after')).toBe('1');
    const body = (await refused.json()) as { error: { message: string } };
    expect(body.error.message).toContain(
      'Limit 600, Used 10, Requested 1. Please try again in 120ms.',
    );
    clock.advance(120); // the next clock second
    expect((await openaiRequest(app, chatBody())).status).toBe(200);
    expect(stats().keys['sk-a']).toMatchObject({ requests: 12, admitted: 11, rateLimited: 1 });
  });

  it('a key with headers: false enforces its limits and tells nothing of them', async () => {
    const clock = fakeClock();
    const { app } = createMockProvider({
      keys: { 'sk-a': { rpm: 60, headers: false } },
      now: clock.now,
    });
    const admitted = await openaiRequest(app, chatBody());
    expect(admitted.status).toBe(200);
    const refused = await openaiRequest(app, chatBody());
    expect(refused.status).toBe(429);
    for (const response of [admitted, refused]) {
      expect(headersOf(response, 'x-ratelimit-')).toEqual({});
      expect(headersOf(response, 'retry-')).toEqual({});
    }
    expect(() => createMockProvider({ keys: { 'sk-a': { headers: 'no' } } as never })).toThrow(
      'Expected `keys.sk-a.headers` to be true or false, got "no"',
    );
  });

  it('holds requests in a sliding 60-second window', async () => {
    const clock = fakeClock();
    const { app } = createMockProvider({ keys: { 'sk-a': { rpm: 3 } }, now: clock.now });
    for (let second = 0; second < 3; second += 1) {
      expect((await openaiRequest(app, chatBody())).status).toBe(200);
      clock.advance(1000);
    }
    const refused = await openaiRequest(app, chatBody()); // at 3 s; the first frees at 60 s
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after-ms')).toBe('57000');
    expect(refused.headers.get('retry-after')).toBe('57');
    expect(refused.headers.get('x-ratelimit-reset-requests')).toBe('59s');
    clock.set(clock.start + 59_999);
    expect((await openaiRequest(app, chatBody())).status).toBe(429);
    clock.set(clock.start + 60_000);
    const admitted = await openaiRequest(app, chatBody());
    expect(admitted.status).toBe(200);
    expect(admitted.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('enforces tpm over the minute, naming tokens in the 429', async () => {
    const clock = fakeClock();
    const { app, stats } = createMockProvider({ keys: { 'sk-a': { tpm: 100 } }, now: clock.now });
    // ceil(100 / 60) = 2 tokens per second, but a lone request in an empty second still passes.
    for (let index = 0; index < 4; index += 1) {
      expect((await openaiRequest(app, chatBody())).status).toBe(200);
      clock.advance(1000);
    }
    const refused = await openaiRequest(app, chatBody()); // 88 used + 22 > 100
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after-ms')).toBe('56000'); // the first request expires at 60 s
    expect(await refused.json()).toEqual({
      error: {
        message:
          'Rate limit reached for gpt-4o-mini in organization org-mock on tokens per min (TPM): Limit 100, Used 88, Requested 22. Please try again in 56s. Visit https://platform.openai.com/account/rate-limits to learn more.',
        type: 'tokens',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    expect(stats().keys['sk-a']?.tokens).toEqual({ input: 28, output: 60, total: 88 });
  });

  it('caps tokens per second at ceil(tpm / 60)', async () => {
    const clock = fakeClock();
    const { app } = createMockProvider({ keys: { 'sk-a': { tpm: 6000 } }, now: clock.now });
    for (let index = 0; index < 4; index += 1) {
      expect((await openaiRequest(app, chatBody())).status).toBe(200); // 88 of 100 this second
    }
    clock.advance(250);
    const refused = await openaiRequest(app, chatBody());
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after-ms')).toBe('750');
    expect(((await refused.json()) as { error: { type: string } }).error.type).toBe('tokens');
  });

  it('refuses a request larger than tpm outright', async () => {
    const { app } = createMockProvider({ keys: { 'sk-a': { tpm: 20 } } });
    const refused = await openaiRequest(app, chatBody());
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { message: string; type: string } };
    expect(body.error.type).toBe('tokens');
    expect(body.error.message).toContain('Request too large for gpt-4o-mini');
  });

  it('caps requests in flight', async () => {
    const { app, stats } = createMockProvider({
      keys: { 'sk-a': { concurrency: 2 } },
      latency: { fixedMs: 60_000 },
    });
    // Streams answer with headers at once and stay in flight until their body ends or is cancelled.
    const first = await openaiRequest(app, chatBody({ stream: true }));
    const second = await openaiRequest(app, chatBody({ stream: true }));
    expect([first.status, second.status]).toEqual([200, 200]);
    const refused = await openaiRequest(app, chatBody());
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      'on concurrent requests: Limit 2, Used 2',
    );
    expect(stats().keys['sk-a']).toMatchObject({ active: 2, peakConcurrency: 2 });
    await first.body?.cancel();
    expect(stats().keys['sk-a']?.active).toBe(1);
    const third = await openaiRequest(app, chatBody({ stream: true }));
    expect(third.status).toBe(200);
    await Promise.all([second.body?.cancel(), third.body?.cancel()]);
    expect(stats().keys['sk-a']).toMatchObject({ active: 0, peakConcurrency: 2, admitted: 3 });
  });

  it('sends the exact OpenAI headers and does not charge refused requests', async () => {
    const clock = fakeClock();
    const { app } = createMockProvider({
      keys: { 'sk-a': { rpm: 60, tpm: 1000 } },
      now: clock.now,
    });
    const admitted = await openaiRequest(app, chatBody());
    expect(headersOf(admitted, 'x-')).toEqual({
      'x-request-id': 'req_00000000000000000000000000000001',
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1m0s',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '978',
      'x-ratelimit-reset-tokens': '1m0s',
    });
    clock.advance(500);
    const refused = await openaiRequest(app, chatBody());
    expect(refused.status).toBe(429);
    expect(headersOf(refused, 'x-ratelimit-')).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '59.5s',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '978',
      'x-ratelimit-reset-tokens': '59.5s',
    });
    expect(headersOf(refused, 'retry-')).toEqual({ 'retry-after': '1', 'retry-after-ms': '500' });
  });

  it('uses defaultLimits for unlisted keys, and keeps keys apart', async () => {
    const clock = fakeClock();
    const { app } = createMockProvider({
      keys: { 'sk-a': { tpm: 1000 } },
      defaultLimits: { rpm: 60 },
      now: clock.now,
    });
    expect((await openaiRequest(app, chatBody(), 'sk-b')).status).toBe(200);
    expect((await openaiRequest(app, chatBody(), 'sk-b')).status).toBe(429);
    // sk-a is listed, so it has no rpm at all: a listed key's limits replace the defaults.
    const other = await openaiRequest(app, chatBody(), 'sk-a');
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-limit-requests')).toBeNull();
    expect(other.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
  });

  it('sends no rate-limit headers when a key is unlimited', async () => {
    const { app } = createMockProvider();
    const response = await openaiRequest(app, chatBody());
    expect(headersOf(response, 'x-ratelimit-')).toEqual({});
  });
});
