import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay } from './retry-delay.js';

describe('retryDelay', () => {
  const options = { baseDelayMs: 500, maxDelayMs: 60_000 };

  it('is a uniform draw under base × 2^(attempt − 1)', () => {
    expect(
      [1, 2, 3, 4].map((attempt) => retryDelay({ ...options, attempt, random: () => 0.5 })),
    ).toEqual([250, 500, 1000, 2000]);
    expect(retryDelay({ ...options, attempt: 3, random: () => 0 })).toBe(0);
    expect(retryDelay({ ...options, attempt: 3, random: () => 0.999 })).toBe(1998);
  });

  it('never waits less than retry-after, and never more than the cap', () => {
    expect(retryDelay({ ...options, attempt: 1, random: () => 0.5, retryAfterMs: 2000 })).toBe(
      2000,
    );
    expect(retryDelay({ ...options, attempt: 4, random: () => 0.9, retryAfterMs: 100 })).toBe(3600);
    expect(retryDelay({ ...options, attempt: 30, random: () => 0.999 })).toBe(59_940);
    expect(retryDelay({ ...options, attempt: 1, random: () => 0, retryAfterMs: 3_600_000 })).toBe(
      60_000,
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 26, 9, 0, 0);

  it('reads seconds and HTTP dates; ignores anything else', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
  });
});
