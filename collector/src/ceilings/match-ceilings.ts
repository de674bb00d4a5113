import type { Ceiling, Dimension } from '../storage/types.js';

const DIMENSIONS: Dimension[] = ['rpm', 'tpm', 'concurrency'];

/**
 * The configured ceilings of one key × provider × model. Ceilings may use `*` for any field; per
 * dimension the most specific match wins (more literal fields), so `prod / openai / *` can set an
 * rpm that `prod / openai / gpt-4o` narrows.
 */
export function matchCeilings(
  ceilings: readonly Ceiling[],
  key: string,
  provider: string,
  model: string,
): Partial<Record<Dimension, number>> {
  const result: Partial<Record<Dimension, number>> = {};
  const specificity: Partial<Record<Dimension, number>> = {};
  for (const ceiling of ceilings) {
    if (!fits(ceiling.key, key) || !fits(ceiling.provider, provider) || !fits(ceiling.model, model))
      continue;
    const score = literal(ceiling.key) + literal(ceiling.provider) + literal(ceiling.model);
    for (const dimension of DIMENSIONS) {
      const value = ceiling[dimension];
      if (value === undefined) continue;
      if (specificity[dimension] === undefined || score > specificity[dimension]!) {
        result[dimension] = value;
        specificity[dimension] = score;
      }
    }
  }
  return result;
}

function fits(pattern: string, value: string): boolean {
  return pattern === '*' || pattern === value;
}

function literal(pattern: string): number {
  return pattern === '*' ? 0 : 1;
}
