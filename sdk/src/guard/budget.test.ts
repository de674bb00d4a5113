import { describe, expect, it } from 'vitest';
import { Budget } from './budget.js';

const family = (
  dimension: 'tokens' | 'input_tokens' | 'output_tokens',
  limit: number,
  remaining: number,
) => ({
  dimension,
  limit,
  remaining,
  resetSeconds: 60,
});

describe('budget: token limits as the provider states them', () => {
  it('one budget stated as tokens, input and output alike (same limit, same remaining) is one TPM', () => {
    const budget = new Budget('anthropic/claude on key k', {});
    budget.learn(0, [
      family('tokens', 1000, 978),
      family('input_tokens', 1000, 978),
      family('output_tokens', 1000, 978),
    ]);
    expect(budget.effective()).toMatchObject({ tpm: 1000, itpm: undefined, otpm: undefined });
  });

  it('input and output limits that differ are the budgets, and the tokens family (the tighter) is not', () => {
    const budget = new Budget('anthropic/claude on key k', {});
    budget.learn(0, [
      family('tokens', 8000, 7985),
      family('input_tokens', 30_000, 29_600),
      family('output_tokens', 8000, 7985),
    ]);
    expect(budget.effective()).toMatchObject({ tpm: undefined, itpm: 30_000, otpm: 8000 });
    // Input's second holds 500 tokens: one 400-token prompt, not two. Output's holds 134: eight
    // answers of 15, not nine.
    const at = 1000;
    budget.admit(at, 415, false, 15);
    expect(budget.nextAdmission(at, 415, 15)).toMatchObject({ reason: 'itpm' });
    for (let index = 0; index < 7; index++) {
      expect(budget.nextAdmission(at, 20, 15)).toEqual({ at });
      budget.admit(at, 20, false, 15);
    }
    expect(budget.nextAdmission(at, 20, 15)).toMatchObject({ reason: 'otpm' });
    expect(budget.describe(at)).toBe('input tpm 435/30000, output tpm 120/8000');
  });
});
