import type { Reply } from './dialect.js';
import { paddedSequence } from './dialect.js';
import { replyPieces, replyText } from './reply-text.js';

const SYSTEM_FINGERPRINT = 'fp_mock';

function completionId(reply: Reply): string {
  return `chatcmpl-mock${paddedSequence(reply.sequence, 20)}`;
}

function finishReason(reply: Reply): 'stop' | 'length' {
  return reply.usage.truncated ? 'length' : 'stop';
}

function usage(reply: Reply) {
  return {
    prompt_tokens: reply.usage.inputTokens,
    completion_tokens: reply.usage.outputTokens,
    total_tokens: reply.usage.totalTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function openaiCompletionBody(reply: Reply): unknown {
  return {
    id: completionId(reply),
    object: 'chat.completion',
    created: reply.created,
    model: reply.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: replyText(reply.usage.outputTokens),
          refusal: null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: finishReason(reply),
      },
    ],
    usage: usage(reply),
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

/**
 * The chunk sequence OpenAI streams: a role chunk, one chunk per token, a finish chunk, and with
 * `include_usage` a last chunk whose `choices` is empty (every earlier chunk then has `usage: null`).
 */
export function openaiStreamFrames(reply: Reply): string[] {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    id: completionId(reply),
    object: 'chat.completion.chunk',
    created: reply.created,
    model: reply.model,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices,
    ...(reply.includeUsage ? { usage: null } : {}),
    ...extra,
  });
  const choice = (delta: unknown, finish: string | null) => [
    { index: 0, delta, logprobs: null, finish_reason: finish },
  ];
  const chunks = [
    chunk(choice({ role: 'assistant', content: '', refusal: null }, null)),
    ...replyPieces(reply.usage.outputTokens).map((content) => chunk(choice({ content }, null))),
    chunk(choice({}, finishReason(reply))),
  ];
  if (reply.includeUsage) chunks.push(chunk([], { usage: usage(reply) }));
  return [...chunks.map((data) => `data: ${JSON.stringify(data)}\n\n`), 'data: [DONE]\n\n'];
}
