/** Numbers as people read them in a summary: at most two decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** A ratio as a whole percentage: 0.934 → `93%`. */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
