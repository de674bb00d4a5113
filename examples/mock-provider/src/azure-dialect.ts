import type { Dialect } from './dialect.js';
import { bearerToken } from './dialect.js';
import { retryHeaders } from './json-response.js';
import type { LimitSnapshot, Refusal } from './limit-types.js';
import { openaiDialect } from './openai-dialect.js';

/** The API version the 429 message names when the request gave none. */
const API_VERSION = '2024-10-21';

/**
 * Azure OpenAI: OpenAI's bodies at `/openai/deployments/<name>/…`, the key in `api-key` (or an
 * Entra token as Bearer), only the `remaining` rate-limit headers, and its own error shape.
 */
export const azureDialect: Dialect = {
  ...openaiDialect,
  name: 'openai',
  requestIdHeader: 'apim-request-id',
  readKey: (headers) => headers.get('api-key') || bearerToken(headers),
  rateLimitHeaders: azureRateLimitHeaders,
  accountHeaders: () => ({}),
  missingKeyBody: () => ({
    error: {
      code: '401',
      message:
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    },
  }),
  rateLimitBody: azureRateLimitBody,
  errorBody: (status, message) => ({
    error: { code: String(status), message: message ?? 'The server had an error.' },
  }),
  retryHeaders: (retryAfterMs) => ({
    ...retryHeaders(retryAfterMs),
    'x-ms-retry-after-ms': String(Math.max(1, Math.ceil(retryAfterMs))),
  }),
};

/** Azure states what remains of the minute, never the limit or the reset. */
export function azureRateLimitHeaders(snapshot: LimitSnapshot): Record<string, string> {
  const headers: Record<string, string> = {};
  if (snapshot.requests !== undefined)
    headers['x-ratelimit-remaining-requests'] = String(snapshot.requests.remaining);
  if (snapshot.tokens !== undefined)
    headers['x-ratelimit-remaining-tokens'] = String(snapshot.tokens.remaining);
  return headers;
}

/** `{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation …"}}`. */
export function azureRateLimitBody(refusal: Refusal, _model: string, message?: string): unknown {
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
  const limit = refusal.kind === 'requests' ? 'call rate limit' : 'token rate limit';
  return {
    error: {
      code: '429',
      message:
        message ??
        `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${API_VERSION} have exceeded ${limit} of your current OpenAI S0 pricing tier. Please retry after ${seconds} second${seconds === 1 ? '' : 's'}. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
    },
  };
}
