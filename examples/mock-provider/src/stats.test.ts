import { describe, expect, it } from 'vitest';
import { createMockProvider } from './create-mock-provider.js';
import { anthropicRequest, chatBody, fakeClock, openaiRequest } from './test-helpers.js';

describe('stats', () => {
  it('counts exactly what was sent, per key, per model and in total', async () => {
    const clock = fakeClock();
    const { app, stats, script } = createMockProvider({
      keys: { 'sk-a': { rpm: 60 } },
      now: clock.now,
    });
    await openaiRequest(app, chatBody()); // 200, 22 tokens
    await openaiRequest(app, chatBody()); // 429: one request per second
    await openaiRequest(app, 'not json'); // 400
    script([500], { key: 'sk-b' });
    await anthropicRequest(app, chatBody({ model: 'claude-test' }), 'sk-b'); // 500
    await anthropicRequest(app, chatBody({ model: 'claude-test', max_tokens: 4 }), 'sk-b'); // 200, 11 tokens
    await openaiRequest(app, chatBody(), null); // 401: no key, so not counted

    const model = (
      requests: number,
      admitted: number,
      rateLimited: number,
      errors: number,
      input: number,
      output: number,
    ) => ({
      requests,
      admitted,
      rateLimited,
      errors,
      tokens: { input, output, total: input + output },
    });
    const expected = {
      keys: {
        'sk-a': {
          ...model(3, 1, 1, 0, 7, 15),
          badRequests: 1,
          firstRateLimitedAt: clock.now(),
          active: 0,
          peakConcurrency: 1,
          models: { 'gpt-4o-mini': model(2, 1, 1, 0, 7, 15) },
        },
        'sk-b': {
          ...model(2, 1, 0, 1, 7, 4),
          badRequests: 0,
          firstRateLimitedAt: null,
          active: 0,
          peakConcurrency: 1,
          models: { 'claude-test': model(2, 1, 0, 1, 7, 4) },
        },
      },
      totals: {
        ...model(5, 2, 1, 1, 14, 19),
        badRequests: 1,
        firstRateLimitedAt: clock.now(),
        active: 0,
        peakConcurrency: 1,
        models: { 'gpt-4o-mini': model(2, 1, 1, 0, 7, 15), 'claude-test': model(2, 1, 0, 1, 7, 4) },
      },
    };
    expect(stats()).toEqual(expected);
    expect(await (await app.request('/stats')).json()).toEqual(expected);
  });

  it('tracks peak and active concurrency across keys', async () => {
    const { app, stats } = createMockProvider({ latency: { fixedMs: 60_000 } });
    const streams = [
      await openaiRequest(app, chatBody({ stream: true }), 'sk-a'),
      await openaiRequest(app, chatBody({ stream: true }), 'sk-a'),
      await anthropicRequest(app, chatBody({ stream: true }), 'sk-b'),
    ];
    expect(stats().totals).toMatchObject({ active: 3, peakConcurrency: 3 });
    expect(stats().keys['sk-a']).toMatchObject({ active: 2, peakConcurrency: 2 });
    await Promise.all(streams.map((response) => response.body?.cancel()));
    expect(stats().totals).toMatchObject({ active: 0, peakConcurrency: 3 });
  });

  it('is cleared, with windows and scripts, by reset', async () => {
    const clock = fakeClock();
    const { app, stats, script, reset } = createMockProvider({
      defaultLimits: { rpm: 1 },
      now: clock.now,
    });
    await openaiRequest(app, chatBody());
    script([500]);
    reset();
    expect(stats()).toEqual(createMockProvider().stats());
    const again = await openaiRequest(app, chatBody());
    expect(again.status).toBe(200); // the window was emptied and the scripted 500 dropped
    expect(again.headers.get('x-request-id')).toBe('req_00000000000000000000000000000001');
    expect((await openaiRequest(app, chatBody())).status).toBe(429);
    expect(await (await app.request('/_mock/reset', { method: 'POST' })).json()).toEqual({
      reset: true,
    });
    expect((await openaiRequest(app, chatBody())).status).toBe(200);
    expect(stats().totals.requests).toBe(1);
  });

  it('is not disturbed by requests that finish after a reset', async () => {
    const { app, stats, reset } = createMockProvider({ latency: { fixedMs: 60_000 } });
    const stream = await openaiRequest(app, chatBody({ stream: true }));
    reset();
    await stream.body?.cancel();
    expect(stats().totals).toMatchObject({ requests: 0, active: 0 });
  });
});
