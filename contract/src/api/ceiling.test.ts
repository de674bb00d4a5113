import { describe, expect, it } from 'vitest';
import { ceilingInputSchema, ceilingLimitsProblem } from './ceiling.js';

describe('ceilingInputSchema', () => {
  it('takes `*` matchers and whole limits from 1 to 1e9, and only the fields it knows', () => {
    const ceiling = { key: '*', provider: '*', model: '*', rpm: 1, tpm: 1e9, note: '' };
    expect(ceilingInputSchema.parse(ceiling)).toEqual(ceiling);
    for (const rpm of [0, -1, 1.5, 1e9 + 1, Number.NaN, '5'])
      expect(ceilingInputSchema.safeParse({ ...ceiling, rpm }).success, String(rpm)).toBe(false);
    expect(ceilingInputSchema.safeParse({ ...ceiling, burst: 5 }).success).toBe(false);
  });
});

describe('ceilingLimitsProblem', () => {
  it('refuses a ceiling with no limit at all', () => {
    expect(ceilingLimitsProblem({})).toBe(
      'Expected at least one of `rpm`, `tpm` or `concurrency`, got none',
    );
    expect(ceilingLimitsProblem({ concurrency: 4 })).toBeUndefined();
  });
});
