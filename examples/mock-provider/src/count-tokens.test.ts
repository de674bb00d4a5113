import { describe, expect, it } from 'vitest';
import { contentText, countTextTokens, countTokens } from './count-tokens.js';
import { replyPieces, replyText } from './reply-text.js';

describe('countTokens', () => {
  it('charges ceil(characters / 4) plus 4 per message', () => {
    // "Hello there" is 11 characters: ceil(11 / 4) + 4 = 7; natural reply 8 + 7 % 32 = 15.
    expect(countTokens({ messages: [{ content: 'Hello there' }] })).toEqual({
      inputTokens: 7,
      outputTokens: 15,
      totalTokens: 22,
      truncated: false,
    });
  });

  it('adds the system prompt as one more message', () => {
    const usage = countTokens({
      system: 'Be brief.',
      messages: [{ content: '' }, { content: 'abcd' }],
    });
    // system ceil(9/4)+4 = 7, empty message 0+4, "abcd" 1+4: 16 input, reply 8 + 16 = 24 capped at 16.
    expect(usage).toEqual({ inputTokens: 16, outputTokens: 16, totalTokens: 32, truncated: true });
  });

  it('caps the reply at max_completion_tokens, then max_tokens, then 16', () => {
    const messages = [{ content: 'x'.repeat(40) }]; // 14 input, natural reply 22
    expect(countTokens({ messages }).outputTokens).toBe(16);
    expect(countTokens({ messages, max_tokens: 100 }).outputTokens).toBe(22);
    expect(countTokens({ messages, max_tokens: 5 }).outputTokens).toBe(5);
    expect(countTokens({ messages, max_tokens: 5, max_completion_tokens: 20 }).outputTokens).toBe(
      20,
    );
    expect(countTokens({ messages, max_tokens: 100 }).truncated).toBe(false);
  });

  it('reads text parts and counts other parts as JSON', () => {
    expect(
      contentText([
        { type: 'text', text: 'ab' },
        { type: 'text', text: 'cd' },
      ]),
    ).toBe('abcd');
    expect(contentText([{ type: 'image', id: 1 }])).toBe('{"type":"image","id":1}');
    expect(contentText(null)).toBe('');
    expect(countTextTokens('12345')).toBe(2);
  });

  it('writes replies that count back to their token number', () => {
    for (const tokens of [1, 5, 16, 39]) {
      expect(replyText(tokens)).toHaveLength(tokens * 4);
      expect(countTextTokens(replyText(tokens))).toBe(tokens);
      expect(replyPieces(tokens)).toHaveLength(tokens);
      expect(replyPieces(tokens).join('')).toBe(replyText(tokens));
    }
  });
});
