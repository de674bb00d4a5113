import type { CallResult } from '../internal/call-state.js';
import type { MethodSpec, ProviderSpec } from './provider-spec.js';

function parseChat(result: any): CallResult {
  return {
    inputTokens: result?.usage?.prompt_tokens,
    outputTokens: result?.usage?.completion_tokens,
    responseModel: result?.model,
    responseId: result?.id,
    finishReasons: Array.isArray(result?.choices)
      ? result.choices.map((choice: any) => String(choice?.finish_reason ?? ''))
      : undefined,
    outputMessages: Array.isArray(result?.choices)
      ? result.choices.map((choice: any) => choice?.message)
      : undefined,
  };
}

function parseChatChunk(chunk: any, into: CallResult): void {
  if (chunk?.model) into.responseModel = chunk.model;
  if (chunk?.id) into.responseId = chunk.id;
  // The usage chunk (with `stream_options.include_usage`) is the last one and carries totals.
  if (chunk?.usage) {
    into.inputTokens = chunk.usage.prompt_tokens;
    into.outputTokens = chunk.usage.completion_tokens;
  }
  const reason = chunk?.choices?.[0]?.finish_reason;
  if (reason) into.finishReasons = [String(reason)];
}

function parseResponse(result: any): CallResult {
  return {
    inputTokens: result?.usage?.input_tokens,
    outputTokens: result?.usage?.output_tokens,
    responseModel: result?.model,
    responseId: result?.id,
    finishReasons: result?.status ? [String(result.status)] : undefined,
    outputMessages: result?.output,
  };
}

const chat: MethodSpec = {
  path: ['chat', 'completions'],
  classPath: ['Chat', 'Completions'],
  operation: 'chat',
  parse: parseChat,
  parseEvent: parseChatChunk,
  inputMessages: (body) => body?.messages,
};

const responses: MethodSpec = {
  path: ['responses'],
  classPath: ['Responses'],
  operation: 'chat',
  parse: parseResponse,
  parseEvent: (event, into) => {
    if (event?.type === 'response.completed' || event?.type === 'response.incomplete') {
      Object.assign(into, parseResponse(event.response));
    }
  },
  inputMessages: (body) => body?.input,
};

const embeddings: MethodSpec = {
  path: ['embeddings'],
  classPath: ['Embeddings'],
  operation: 'embeddings',
  parse: (result) => ({ inputTokens: result?.usage?.prompt_tokens, responseModel: result?.model }),
  parseEvent: () => {},
  inputMessages: (body) => body?.input,
};

const completions: MethodSpec = {
  path: ['completions'],
  classPath: ['Completions'],
  operation: 'text_completion',
  parse: parseChat,
  parseEvent: parseChatChunk,
  inputMessages: (body) => body?.prompt,
};

/** `openai` clients, including `AzureOpenAI` and OpenAI-compatible servers. */
export const openaiSpec: ProviderSpec = {
  library: 'openai',
  provider(client) {
    if (
      client?.constructor?.name === 'AzureOpenAI' ||
      typeof client?.deploymentName === 'string' ||
      client?.apiVersion
    ) {
      return 'azure.ai.openai';
    }
    return 'openai';
  },
  methods: [chat, responses, embeddings, completions],
};

/**
 * An `openai` client, told by its public shape: whether its private members are there is for
 * `instrumentClientInstance` to find out, and to say.
 */
export function isOpenAIClient(client: any): boolean {
  return (
    typeof client?.chat?.completions?.create === 'function' && typeof client?.baseURL === 'string'
  );
}
