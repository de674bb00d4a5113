/**
 * Formats milliseconds the way OpenAI writes durations in `x-ratelimit-reset-*` headers and
 * error messages (Go's time.Duration format): `120ms`, `1s`, `1.5s`, `6m0s`, `1m30s`, `2h0m0s`.
 */
export function formatDuration(milliseconds: number): string {
  const total = Math.max(0, Math.ceil(milliseconds));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  // Number#toString drops trailing zeros, matching Go's `1.5s` rather than `1.500s`.
  const secondsText = `${seconds}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}
