/** Statuses worth another attempt, as the provider SDKs decide it. */
export function isRetryable(
  status: number,
  headers: { get(name: string): string | null },
): boolean {
  const should = headers.get('x-should-retry');
  if (should === 'true') return true;
  if (should === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The wait the provider asked for, in ms: `retry-after-ms` (OpenAI, Anthropic), Azure's
 * `x-ms-retry-after-ms`, or `retry-after` in seconds or as a date.
 */
export function retryAfterMs(
  headers: { get(name: string): string | null },
  now: number,
): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const milliseconds = Number.parseFloat(headers.get(name) ?? '');
    if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  }
  const text = headers.get('retry-after');
  if (text === null) return undefined;
  const seconds = Number.parseFloat(text);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const BASE_MS = 500;
const CAP_MS = 8000;

/** Exponential backoff with full jitter: uniform in [0, min(8 s, 0.5 s × 2^retry)). */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  return random() * Math.min(CAP_MS, BASE_MS * 2 ** retry);
}
