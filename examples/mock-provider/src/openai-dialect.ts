import type { Dialect } from './dialect.js';
import { bearerToken, paddedSequence } from './dialect.js';
import { formatDuration } from './format-duration.js';
import type { LimitSnapshot } from './limit-types.js';
import { openaiCompletionBody, openaiStreamFrames } from './openai-completion.js';
import {
  openaiBadRequestBody,
  openaiErrorBody,
  openaiMissingKeyBody,
  openaiRateLimitBody,
} from './openai-errors.js';
import type { Account } from './options.js';

/** `x-ratelimit-*` as OpenAI sends them: remaining in the minute, reset as a duration. */
export function openaiRateLimitHeaders(snapshot: LimitSnapshot): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const dimension of ['requests', 'tokens'] as const) {
    const state = snapshot[dimension];
    if (state === undefined) continue;
    headers[`x-ratelimit-limit-${dimension}`] = String(state.limit);
    headers[`x-ratelimit-remaining-${dimension}`] = String(state.remaining);
    headers[`x-ratelimit-reset-${dimension}`] = formatDuration(state.resetMs);
  }
  return headers;
}

/**
 * `openai-organization` and `openai-project`, which OpenAI sends on every response. The
 * `x-ratelimit-*` headers then describe that organization's budget, shared by all its keys.
 */
export function openaiAccountHeaders(account: Account | undefined): Record<string, string> {
  if (account === undefined) return {};
  const headers: Record<string, string> = { 'openai-organization': account.organization };
  if (account.project !== undefined) headers['openai-project'] = account.project;
  return headers;
}

export const openaiDialect: Dialect = {
  name: 'openai',
  requestIdHeader: 'x-request-id',
  readKey: bearerToken,
  requestId: (sequence) => `req_${paddedSequence(sequence, 32)}`,
  rateLimitHeaders: openaiRateLimitHeaders,
  accountHeaders: openaiAccountHeaders,
  missingKeyBody: openaiMissingKeyBody,
  badRequestBody: openaiBadRequestBody,
  rateLimitBody: openaiRateLimitBody,
  errorBody: openaiErrorBody,
  completionBody: openaiCompletionBody,
  streamFrames: openaiStreamFrames,
};
