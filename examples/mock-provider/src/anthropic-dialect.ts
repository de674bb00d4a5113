import {
  anthropicBadRequestBody,
  anthropicErrorBody,
  anthropicMissingKeyBody,
  anthropicRateLimitBody,
} from './anthropic-errors.js';
import { anthropicMessageBody, anthropicStreamFrames } from './anthropic-message.js';
import type { Dialect } from './dialect.js';
import { bearerToken, paddedSequence } from './dialect.js';
import type { LimitSnapshot } from './limit-types.js';

/** RFC 3339 at whole seconds, rounded up so the reset is never announced early. */
function timestamp(milliseconds: number): string {
  return new Date(Math.ceil(milliseconds / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * `anthropic-ratelimit-*` headers. A key with `itpm` and `otpm` reports them as the input-tokens
 * and output-tokens families, and the tokens family as the most restrictive of them (the one with
 * the least remaining), as Anthropic does; a key with one `tpm` reports it in all three.
 */
export function anthropicRateLimitHeaders(
  snapshot: LimitSnapshot,
  now: number,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const { inputTokens, outputTokens } = snapshot;
  const restrictive = [inputTokens, outputTokens]
    .filter((state) => state !== undefined)
    .sort((a, b) => a.remaining - b.remaining)[0];
  const families = [
    ['requests', snapshot.requests],
    ['tokens', snapshot.tokens ?? restrictive],
    ['input-tokens', inputTokens ?? snapshot.tokens],
    ['output-tokens', outputTokens ?? snapshot.tokens],
  ] as const;
  for (const [family, state] of families) {
    if (state === undefined) continue;
    headers[`anthropic-ratelimit-${family}-limit`] = String(state.limit);
    headers[`anthropic-ratelimit-${family}-remaining`] = String(state.remaining);
    headers[`anthropic-ratelimit-${family}-reset`] = timestamp(now + state.resetMs);
  }
  return headers;
}

export const anthropicDialect: Dialect = {
  name: 'anthropic',
  requestIdHeader: 'request-id',
  // The SDK sends x-api-key; Bearer covers clients configured with an auth token instead.
  readKey: (headers) => headers.get('x-api-key') || bearerToken(headers),
  requestId: (sequence) => `req_mock${paddedSequence(sequence, 20)}`,
  rateLimitHeaders: anthropicRateLimitHeaders,
  // Organizations are an OpenAI notion here: the shared budget applies, but no header names it.
  accountHeaders: () => ({}),
  missingKeyBody: anthropicMissingKeyBody,
  badRequestBody: anthropicBadRequestBody,
  rateLimitBody: anthropicRateLimitBody,
  errorBody: anthropicErrorBody,
  completionBody: anthropicMessageBody,
  streamFrames: anthropicStreamFrames,
};
