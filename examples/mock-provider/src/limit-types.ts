export interface LimitState {
  limit: number;
  remaining: number;
  /** Milliseconds until the sliding minute is empty again. */
  resetMs: number;
}

/** Only the dimensions that have a limit appear, as on real providers. */
export interface LimitSnapshot {
  requests?: LimitState;
  tokens?: LimitState;
  inputTokens?: LimitState;
  outputTokens?: LimitState;
}

/** The token budgets a key may have: all tokens, and Anthropic's input and output apart. */
export type TokenKind = 'tokens' | 'input_tokens' | 'output_tokens';

export interface Refusal {
  /** Which budget ran out; OpenAI names it as the 429 body's `type`. */
  kind: TokenKind | 'requests';
  cause: 'per-minute' | 'per-second' | 'concurrency' | 'too-large' | 'scripted';
  limit?: number;
  used?: number;
  requested: number;
  retryAfterMs: number;
  /** The organization whose shared budget refused it; OpenAI names it in the 429 message. */
  organization?: string;
}
