import { countTokens, type TokenCount } from './count-tokens.js';

/** What the mock needs from a chat request, once the body is known to be well formed. */
export interface ChatRequest {
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`: adds the final usage chunk. */
  includeUsage: boolean;
  usage: TokenCount;
}

export type RequestProblem =
  | { kind: 'invalid-json' }
  | { kind: 'missing'; field: string }
  | { kind: 'invalid'; field: string; expected: string };

export type ParseResult =
  | { ok: true; request: ChatRequest }
  | { ok: false; problem: RequestProblem };

/** Validates only what the mock relies on; providers' other parameters pass through unchecked. */
export function parseChatRequest(
  text: string,
  dialect: 'openai' | 'anthropic',
  /** The model when the body names none: an Azure deployment's, from its path. */
  defaultModel?: string,
): ParseResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, problem: { kind: 'invalid-json' } };
  }
  if (!isObject(body)) return { ok: false, problem: { kind: 'invalid-json' } };
  const invalid = (field: string, expected: string): ParseResult => ({
    ok: false,
    problem: { kind: 'invalid', field, expected },
  });
  if ((body.model === undefined || body.model === null) && defaultModel !== undefined)
    body.model = defaultModel;
  if (body.model === undefined || body.model === null) {
    return { ok: false, problem: { kind: 'missing', field: 'model' } };
  }
  if (typeof body.model !== 'string' || body.model === '')
    return invalid('model', 'a non-empty string');
  if (body.messages === undefined || body.messages === null) {
    return { ok: false, problem: { kind: 'missing', field: 'messages' } };
  }
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0) {
    return invalid('messages', 'a non-empty array');
  }
  const badIndex = messages.findIndex(
    (message) => !isObject(message) || typeof message.role !== 'string',
  );
  if (badIndex !== -1) return invalid(`messages[${badIndex}]`, 'an object with a string `role`');
  const maxTokenFields =
    dialect === 'openai' ? ['max_tokens', 'max_completion_tokens'] : ['max_tokens'];
  for (const field of maxTokenFields) {
    const value = body[field];
    if (
      value !== undefined &&
      value !== null &&
      !(Number.isSafeInteger(value) && (value as number) >= 1)
    ) {
      return invalid(field, 'an integer of at least 1');
    }
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    return invalid('stream', 'a boolean');
  }
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && !isObject(streamOptions)) {
    return invalid('stream_options', 'an object');
  }
  return {
    ok: true,
    request: {
      model: body.model,
      stream: body.stream === true,
      includeUsage:
        dialect === 'openai' && isObject(streamOptions) && streamOptions.include_usage === true,
      usage: countTokens({
        messages,
        // Only Anthropic has a top-level system prompt; OpenAI puts it among the messages.
        system: dialect === 'anthropic' ? body.system : undefined,
        max_tokens: body.max_tokens as number | undefined,
        max_completion_tokens:
          dialect === 'openai' ? (body.max_completion_tokens as number | undefined) : undefined,
      }),
    },
  };
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
