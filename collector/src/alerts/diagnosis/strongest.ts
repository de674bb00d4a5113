/** The candidate with the highest score; the first one wins a tie, so the result is deterministic. */
export function strongest<T extends { score: number }>(candidates: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const candidate of candidates)
    if (best === undefined || candidate.score > best.score) best = candidate;
  return best;
}
