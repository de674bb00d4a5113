import type { TokenCount } from './count-tokens.js';
import type { LimitSnapshot, Refusal } from './limit-types.js';
import type { Account } from './options.js';
import type { RequestProblem } from './parse-chat-request.js';

/** One successful reply, rendered by each dialect in its provider's wire format. */
export interface Reply {
  sequence: number;
  model: string;
  /** Unix seconds from the injected clock. */
  created: number;
  usage: TokenCount;
  includeUsage: boolean;
}

/** What differs between the OpenAI and Anthropic wire formats; the request pipeline is shared. */
export interface Dialect {
  name: 'openai' | 'anthropic';
  requestIdHeader: string;
  readKey(headers: Headers): string | undefined;
  requestId(sequence: number): string;
  rateLimitHeaders(snapshot: LimitSnapshot, now: number): Record<string, string>;
  /** Headers naming the organization and project a key is charged to; none for a key on its own. */
  accountHeaders(account: Account | undefined): Record<string, string>;
  missingKeyBody(): unknown;
  badRequestBody(problem: RequestProblem): unknown;
  rateLimitBody(refusal: Refusal, model: string, message?: string, code?: string): unknown;
  errorBody(status: number, message?: string): unknown;
  completionBody(reply: Reply): unknown;
  /** Complete SSE frames, each ending in a blank line. */
  streamFrames(reply: Reply): string[];
  /** Headers of a refusal's wait; default `retry-after` and `retry-after-ms`. */
  retryHeaders?(retryAfterMs: number): Record<string, string>;
}

export function bearerToken(headers: Headers): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '');
  return match?.[1];
}

/** Zero-padded decimal so ids sort in request order. */
export function paddedSequence(sequence: number, width: number): string {
  return String(sequence).padStart(width, '0');
}
