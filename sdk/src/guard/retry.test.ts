import { describe, expect, it } from 'vitest';
import { isRetryable, retryAfterMs } from './retry.js';

const headers = (values: Record<string, string>) => new Headers(values);

describe('the wait a provider asks for', () => {
  it('reads retry-after-ms, Azure’s x-ms-retry-after-ms, and retry-after in seconds or as a date', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '1' }), now)).toBe(250);
    expect(retryAfterMs(headers({ 'x-ms-retry-after-ms': '8500', 'retry-after': '9' }), now)).toBe(
      8500,
    );
    expect(retryAfterMs(headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 03 Dec 2026 12:00:03 GMT' }), now)).toBe(
      3000,
    );
    expect(retryAfterMs(headers({ 'retry-after-ms': 'soon' }), now)).toBeUndefined();
  });

  it('retries 408, 409, 429 and 5xx (Anthropic’s 529 “overloaded” among them), unless x-should-retry says', () => {
    expect(
      [408, 409, 429, 500, 529, 400, 404].map((status) => isRetryable(status, headers({}))),
    ).toEqual([true, true, true, true, true, false, false]);
    expect(isRetryable(429, headers({ 'x-should-retry': 'false' }))).toBe(false);
  });
});
