import { describe, expect, it } from 'vitest';
import { SILENT_AFTER, SilentLimits } from './silent-limits.js';

describe('limits of a provider that states none', () => {
  it('grows one an answer until the first 429, then halves and sets the rate from the second before it', () => {
    const limits = new SilentLimits();
    for (let answer = 0; answer < SILENT_AFTER; answer++) limits.answered();
    // Two answers with no header: from now on it is learning, one more at once per answer.
    expect(limits.active).toBe(true);
    expect(limits.window).toBe(2);
    for (let answer = 0; answer < 6; answer++) limits.answered();
    expect(limits.window).toBe(8);
    // 26 went in the second before the 429, itself among them: 80 % of 25 a second.
    limits.rateLimited(10_000, 26);
    expect(limits.window).toBe(4);
    expect(limits.rpm).toBe(1200);
    // The same burst's next 429 is the same sign.
    limits.rateLimited(10_500, 26);
    expect(limits.window).toBe(4);
    // Past slow start, one a round trip: a quarter an answer at 4.
    limits.answered();
    expect(limits.window).toBe(4.25);
    expect(limits.rpm).toBeCloseTo(1201.2, 6);
    // A later 429: the limit is lower still.
    limits.rateLimited(11_000, 20);
    expect(limits.rpm).toBeCloseTo(1201.2 * 0.7, 6);
  });
});
