/**
 * `error.type` values that mean the provider refused for rate: the HTTP status (`429`), the
 * class names the official instrumentations send (`RateLimitError` for openai, Anthropic's
 * `RateLimitError` and its `rate_limit_error` type, Azure's `TooManyRequests`), Bedrock's
 * `ThrottlingException` and Google's `RESOURCE_EXHAUSTED`. Compared without case or separators,
 * so `rate-limit-error` and `RATE_LIMIT_ERROR` are one value.
 */
const RATE_LIMITED = new Set([
  '429',
  'ratelimiterror',
  'ratelimit',
  'ratelimited',
  'ratelimitexceeded',
  'toomanyrequests',
  'toomanyrequestserror',
  'throttlingexception',
  'throttled',
  'resourceexhausted',
]);

export function isRateLimitError(errorType: unknown): boolean {
  if (typeof errorType === 'number') return errorType === 429;
  if (typeof errorType !== 'string') return false;
  return RATE_LIMITED.has(errorType.toLowerCase().replace(/[^a-z0-9]/g, ''));
}
