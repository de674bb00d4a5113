import { describe, expect, it } from 'vitest';
import { createMockProvider } from './create-mock-provider.js';
import { anthropicRequest, chatBody, fakeClock, headersOf, openaiRequest } from './test-helpers.js';

async function statuses(responses: Array<Response | Promise<Response>>): Promise<number[]> {
  const result: number[] = [];
  for (const response of responses) result.push((await response).status);
  return result;
}

describe('scripted mode', () => {
  it('consumes outcomes one per request, then falls back to the limits', async () => {
    const { app, script } = createMockProvider();
    script([429, 429, 200]);
    const results = [];
    for (let index = 0; index < 4; index += 1)
      results.push((await openaiRequest(app, chatBody())).status);
    expect(results).toEqual([429, 429, 200, 200]);
  });

  it('takes the key queue before the global one', async () => {
    const { app, script } = createMockProvider();
    script([500]);
    script([429], { key: 'sk-b' });
    expect(await statuses([openaiRequest(app, chatBody(), 'sk-b')])).toEqual([429]);
    expect(await statuses([openaiRequest(app, chatBody(), 'sk-b')])).toEqual([500]);
    expect(await statuses([openaiRequest(app, chatBody(), 'sk-b')])).toEqual([200]);
  });

  it('gives scripted 429s the headers of real ones, retrying after 20 ms by default', async () => {
    const { app, script } = createMockProvider({ keys: { 'sk-a': { rpm: 60 } } });
    script([429, { status: 429, retryAfterMs: 2500, limit: 'tokens' }]);
    const first = await openaiRequest(app, chatBody());
    expect(headersOf(first, 'retry-')).toEqual({ 'retry-after': '1', 'retry-after-ms': '20' });
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('60');
    expect(first.headers.get('x-request-id')).toBe('req_00000000000000000000000000000001');
    expect(((await first.json()) as { error: unknown }).error).toMatchObject({
      type: 'requests',
      code: 'rate_limit_exceeded',
      message: expect.stringContaining('Please try again in 20ms.'),
    });
    const second = await openaiRequest(app, chatBody());
    expect(headersOf(second, 'retry-')).toEqual({ 'retry-after': '3', 'retry-after-ms': '2500' });
    expect(((await second.json()) as { error: { type: string } }).error.type).toBe('tokens');
  });

  it('renders 5xx in each provider shape, and can omit retry headers', async () => {
    const { app, script } = createMockProvider();
    script([{ status: 500, retryAfterMs: null }, 529, { status: 503, message: 'Down for a nap' }]);
    const internal = await openaiRequest(app, chatBody());
    expect(internal.status).toBe(500);
    expect(headersOf(internal, 'retry-')).toEqual({});
    expect(await internal.json()).toEqual({
      error: {
        message: 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        param: null,
        code: null,
      },
    });
    const overloaded = await anthropicRequest(app, chatBody());
    expect(overloaded.status).toBe(529);
    expect(overloaded.headers.get('retry-after-ms')).toBe('20');
    expect(await overloaded.json()).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    const unavailable = await anthropicRequest(app, chatBody());
    expect(await unavailable.json()).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'Down for a nap' },
    });
  });

  it('admits a scripted 200 past the limits and charges it', async () => {
    const clock = fakeClock();
    const { app, script, stats } = createMockProvider({
      keys: { 'sk-a': { rpm: 1 } },
      now: clock.now,
    });
    expect((await openaiRequest(app, chatBody())).status).toBe(200);
    expect((await openaiRequest(app, chatBody())).status).toBe(429);
    script([{ status: 200, latencyMs: 5 }]);
    const forced = await openaiRequest(app, chatBody());
    expect(forced.status).toBe(200);
    expect(forced.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(stats().keys['sk-a']).toMatchObject({
      admitted: 2,
      rateLimited: 1,
      tokens: { total: 44 },
    });
  });

  it('is settable over HTTP and rejects bad scripts whole', async () => {
    const { app } = createMockProvider();
    const post = (body: unknown) =>
      app.request('/_mock/script', { method: 'POST', body: JSON.stringify(body) });
    expect(await (await post([429])).json()).toEqual({ queued: 1 });
    expect(await (await post({ outcomes: [{ status: 529 }], key: 'sk-a' })).json()).toEqual({
      queued: 1,
    });
    const bad = await post({ outcomes: [429, { status: 302 }] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { message: 'Expected `outcomes[1].status` to be 200 or 400–599, got 302' },
    });
    const zero = await post([{ status: 429, retryAfterMs: 0 }]);
    expect(((await zero.json()) as { error: { message: string } }).error.message).toBe(
      'Expected `outcomes[0].retryAfterMs` to be at least 1, got 0',
    );
    expect(await statuses([openaiRequest(app, chatBody())])).toEqual([529]);
    expect(await statuses([openaiRequest(app, chatBody())])).toEqual([429]);
    expect(await statuses([openaiRequest(app, chatBody())])).toEqual([200]);
  });

  it('throws on a bad script given in code', () => {
    const { script } = createMockProvider();
    expect(() => script([{ status: 429, limit: 'minutes' as 'tokens' }])).toThrow(
      'Expected `outcomes[0].limit` to be "requests" or "tokens", got "minutes"',
    );
  });
});
