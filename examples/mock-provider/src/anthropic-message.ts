import type { Reply } from './dialect.js';
import { paddedSequence } from './dialect.js';
import { replyPieces, replyText } from './reply-text.js';

function messageId(reply: Reply): string {
  return `msg_mock${paddedSequence(reply.sequence, 16)}`;
}

function stopReason(reply: Reply): 'end_turn' | 'max_tokens' {
  return reply.usage.truncated ? 'max_tokens' : 'end_turn';
}

function usage(inputTokens: number, outputTokens: number) {
  return {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    service_tier: 'standard',
  };
}

export function anthropicMessageBody(reply: Reply): unknown {
  return {
    id: messageId(reply),
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content: [{ type: 'text', text: replyText(reply.usage.outputTokens) }],
    stop_reason: stopReason(reply),
    stop_sequence: null,
    usage: usage(reply.usage.inputTokens, reply.usage.outputTokens),
  };
}

/**
 * Anthropic's event sequence. As on the real API, message_start reports the input tokens (and a
 * provisional output count of 1) and message_delta the final output tokens.
 */
export function anthropicStreamFrames(reply: Reply): string[] {
  const events: Array<[string, unknown]> = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: messageId(reply),
          type: 'message',
          role: 'assistant',
          model: reply.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: usage(reply.usage.inputTokens, 1),
        },
      },
    ],
    [
      'content_block_start',
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ],
    ['ping', { type: 'ping' }],
    ...replyPieces(reply.usage.outputTokens).map((text): [string, unknown] => [
      'content_block_delta',
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
    ]),
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    [
      'message_delta',
      {
        type: 'message_delta',
        delta: { stop_reason: stopReason(reply), stop_sequence: null },
        usage: { output_tokens: reply.usage.outputTokens },
      },
    ],
    ['message_stop', { type: 'message_stop' }],
  ];
  return events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
