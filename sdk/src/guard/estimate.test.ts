import { describe, expect, it } from 'vitest';
import { estimateTokens } from './estimate.js';

/** A 300 KB image as a data URL, the way apps send screenshots. */
const png = `data:image/png;base64,${'iVBORw0KGgo'.repeat(28_000)}`;

describe('estimateTokens', () => {
  it('counts text at 4 characters a token, 4 a message, plus max_tokens', () => {
    const body = { messages: [{ role: 'user', content: 'x'.repeat(400) }], max_tokens: 50 };
    expect(estimateTokens(body, 256)).toBe(100 + 4 + 50);
    // A long word with no spaces is still text.
    const long = { messages: [{ role: 'user', content: 'x'.repeat(4400) }], max_tokens: 0 };
    expect(estimateTokens(long, 256)).toBe(1100 + 4);
  });

  it('an OpenAI image part is 1,000 tokens (85 at low detail), not its base64', () => {
    const body = (detail?: string) => ({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'x'.repeat(40) },
            { type: 'image_url', image_url: { url: png, ...(detail && { detail }) } },
          ],
        },
      ],
      max_tokens: 10,
    });
    expect(estimateTokens(body(), 256)).toBe(10 + 1000 + 4 + 10);
    expect(estimateTokens(body('low'), 256)).toBe(10 + 85 + 4 + 10);
  });

  it('Anthropic images and documents, and OpenAI files and audio, are a fixed amount each', () => {
    const data = png.slice(png.indexOf(',') + 1);
    const body = {
      system: 'Read the attachments.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data } },
            { type: 'file', file: { filename: 'a.pdf', file_data: png } },
            { type: 'input_audio', input_audio: { data, format: 'wav' } },
          ],
        },
      ],
      max_tokens: 100,
    };
    // 4 parts of 1,000, the message's 4, the system prompt's 6 + 4, and the output.
    expect(estimateTokens(body, 256)).toBe(4000 + 4 + 6 + 4 + 100);
  });

  it('inline data inside any other shape counts as media, the rest by its JSON', () => {
    const body = { input: { kind: 'custom', payload: png }, max_tokens: 0 };
    // {"kind":"custom","payload":""} is 31 characters: 8 tokens, plus one media part.
    expect(estimateTokens(body, 256)).toBe(8 + 1000);
  });
});
