/** Tokens added per message (and per system prompt) for role and framing, as real tokenizers do. */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** Output ceiling when the request sets neither `max_tokens` nor `max_completion_tokens`. */
export const DEFAULT_MAX_TOKENS = 16;
/** The natural reply length is BASE + (input tokens mod SPREAD), so replies vary with the prompt. */
export const REPLY_BASE_TOKENS = 8;
export const REPLY_SPREAD_TOKENS = 32;
/** One token is four characters, both ways: prompts are counted and replies written with it. */
export const CHARACTERS_PER_TOKEN = 4;

export interface TokenCountRequest {
  messages: ReadonlyArray<{ content?: unknown }>;
  /** Anthropic's top-level system prompt: a string or an array of text blocks. */
  system?: unknown;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
}

export interface TokenCount {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** True when the max-token ceiling cut the reply short (finish_reason `length`, stop_reason `max_tokens`). */
  truncated: boolean;
}

/** The text a content value contributes: strings as-is, `text` of parts, other parts as JSON. */
export function contentText(content: unknown): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        typeof part === 'object' && part !== null && typeof part.text === 'string'
          ? part.text
          : JSON.stringify(part),
      )
      .join('');
  }
  return JSON.stringify(content);
}

export function countTextTokens(text: string): number {
  return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
}

/**
 * Deterministic usage of a chat request, known before any reply is written, so the rate
 * limiter can charge the whole request at admission exactly as the response will report it.
 */
export function countTokens(request: TokenCountRequest): TokenCount {
  let inputTokens = 0;
  for (const message of request.messages) {
    inputTokens += countTextTokens(contentText(message.content)) + MESSAGE_OVERHEAD_TOKENS;
  }
  if (request.system !== undefined && request.system !== null) {
    inputTokens += countTextTokens(contentText(request.system)) + MESSAGE_OVERHEAD_TOKENS;
  }
  // OpenAI's newer parameter wins when both are sent, as on the real API.
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_MAX_TOKENS;
  const naturalTokens = REPLY_BASE_TOKENS + (inputTokens % REPLY_SPREAD_TOKENS);
  const outputTokens = Math.min(maxTokens, naturalTokens);
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    truncated: maxTokens < naturalTokens,
  };
}
