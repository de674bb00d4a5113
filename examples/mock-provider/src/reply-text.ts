import { CHARACTERS_PER_TOKEN } from './count-tokens.js';

const PHRASE = 'This is a mock reply from the Headroom local provider. ';

/** The reply of `outputTokens` tokens: exactly four characters per token, so it re-counts the same. */
export function replyText(outputTokens: number): string {
  const length = outputTokens * CHARACTERS_PER_TOKEN;
  return PHRASE.repeat(Math.ceil(length / PHRASE.length)).slice(0, length);
}

/** The reply cut into one piece per token, the way providers stream it. */
export function replyPieces(outputTokens: number): string[] {
  const text = replyText(outputTokens);
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += CHARACTERS_PER_TOKEN) {
    pieces.push(text.slice(start, start + CHARACTERS_PER_TOKEN));
  }
  return pieces;
}
