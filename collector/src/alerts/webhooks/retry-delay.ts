interface RetryDelay {
  /** The attempt that just failed, from 1. */
  attempt: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** In [0, 1). */
  random: () => number;
  /** What the receiver asked for in `retry-after`, if anything. */
  retryAfterMs?: number | undefined;
}

/**
 * Exponential backoff with full jitter (a uniform wait in [0, base × 2^(attempt − 1))), so many
 * collectors retrying one receiver spread out instead of retrying in step; never shorter than
 * the receiver's retry-after. Both are capped at `maxDelayMs`.
 */
export function retryDelay({
  attempt,
  baseDelayMs,
  maxDelayMs,
  random,
  retryAfterMs,
}: RetryDelay): number {
  const backoff = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
  return Math.min(maxDelayMs, Math.max(backoff, retryAfterMs ?? 0));
}

/** `retry-after` is seconds or an HTTP date (RFC 9110 §10.2.3); anything else is ignored. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Date.parse reads '-3' as a year: an HTTP date always names its day and month.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
