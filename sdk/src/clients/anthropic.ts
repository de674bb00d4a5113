import type { CallResult } from '../internal/call-state.js';
import type { ProviderSpec } from './provider-spec.js';

/** All input tokens, cached ones included, as the GenAI conventions count `input_tokens`. */
function inputTokens(usage: any): number | undefined {
  if (typeof usage?.input_tokens !== 'number') return undefined;
  return (
    usage.input_tokens +
    (usage.cache_creation_input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0)
  );
}

function parseMessage(result: any): CallResult {
  return {
    inputTokens: inputTokens(result?.usage),
    outputTokens: result?.usage?.output_tokens,
    responseModel: result?.model,
    responseId: result?.id,
    finishReasons: result?.stop_reason ? [String(result.stop_reason)] : undefined,
    outputMessages: result?.content,
  };
}

/** `@anthropic-ai/sdk` clients. */
export const anthropicSpec: ProviderSpec = {
  library: '@anthropic-ai/sdk',
  provider: () => 'anthropic',
  methods: [
    {
      path: ['messages'],
      classPath: ['Messages'],
      operation: 'chat',
      parse: parseMessage,
      parseEvent(event, into) {
        if (event?.type === 'message_start') {
          Object.assign(into, {
            ...parseMessage(event.message),
            outputTokens: event.message?.usage?.output_tokens,
          });
        } else if (event?.type === 'message_delta') {
          // `message_delta` usage is cumulative for the message, so it replaces, never adds.
          if (typeof event.usage?.output_tokens === 'number')
            into.outputTokens = event.usage.output_tokens;
          const input = inputTokens(event.usage);
          if (input !== undefined && input > 0) into.inputTokens = input;
          if (event.delta?.stop_reason) into.finishReasons = [String(event.delta.stop_reason)];
        }
      },
      inputMessages: (body) => body?.messages,
    },
  ],
};

/** An `@anthropic-ai/sdk` client, told by its public shape (see `isOpenAIClient`). */
export function isAnthropicClient(client: any): boolean {
  return typeof client?.messages?.create === 'function' && typeof client?.baseURL === 'string';
}
