import type { Outcome } from '../semconv.js';

export interface Classification {
  outcome: Outcome;
  /** `error.type`: the HTTP status as text where there is one, else the error's name. */
  errorType: string;
}

/** An HTTP attempt's outcome from its status. Anthropic's 529 "overloaded" is not a rate limit. */
export function outcomeOfStatus(status: number): Outcome {
  if (status === 429) return 'rate_limited';
  return status >= 200 && status < 400 ? 'ok' : 'error';
}

/**
 * A failed logical call, classified across providers and wrappers: OpenAI `RateLimitError`
 * (status 429, code `rate_limit_exceeded`), Anthropic `rate_limit_error`, Azure `TooManyRequests`,
 * LangChain's `MODEL_RATE_LIMIT`. Anything else is an error.
 */
export function classifyError(error: unknown): Classification {
  const value = (error ?? {}) as Record<string, any>;
  const status = statusOf(value);
  const name = typeof value.name === 'string' && value.name !== 'Error' ? value.name : undefined;
  const rateLimited =
    status === 429 ||
    name === 'RateLimitError' ||
    value.code === 'rate_limit_exceeded' ||
    value.code === 'TooManyRequests' ||
    value.lc_error_code === 'MODEL_RATE_LIMIT' ||
    value.error?.type === 'rate_limit_error' ||
    value.error?.error?.type === 'rate_limit_error' ||
    value.error?.code === 'rate_limit_exceeded';
  return {
    outcome: rateLimited ? 'rate_limited' : 'error',
    errorType: status !== undefined ? String(status) : rateLimited ? '429' : (name ?? '_OTHER'),
  };
}

function statusOf(value: Record<string, any>): number | undefined {
  for (const candidate of [value.status, value.statusCode, value.response?.status]) {
    if (typeof candidate === 'number' && candidate >= 100 && candidate < 600) return candidate;
  }
  return undefined;
}
