import { describe, expect, it } from 'vitest';
import { withBackoff } from './backoff.js';
import { semaphore } from './semaphore.js';

describe('example kit', () => {
  it('semaphore: never more than the limit at once, and every task runs', async () => {
    const limit = semaphore(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        limit(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setImmediate(resolve));
          running--;
          return index;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(() => semaphore(0)).toThrow('Expected `limit` to be an integer from 1 up, got 0');
  });

  it('backoff: retries 429s up to its attempts, gives up on other errors at once', async () => {
    let calls = 0;
    const rateLimited = Object.assign(new Error('slow down'), { status: 429 });
    await expect(
      withBackoff(
        async () => {
          calls++;
          throw rateLimited;
        },
        { attempts: 3, baseMs: 1, random: () => 0 },
      ),
    ).rejects.toBe(rateLimited);
    expect(calls).toBe(3);
    calls = 0;
    const bad = Object.assign(new Error('bad request'), { status: 400 });
    await expect(
      withBackoff(
        async () => {
          calls++;
          throw bad;
        },
        { random: () => 0 },
      ),
    ).rejects.toBe(bad);
    expect(calls).toBe(1);
    calls = 0;
    expect(
      await withBackoff(async () => (++calls < 3 ? Promise.reject(rateLimited) : 'ok'), {
        baseMs: 1,
        random: () => 0,
      }),
    ).toBe('ok');
  });
});
