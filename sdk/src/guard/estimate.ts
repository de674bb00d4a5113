/** One token is about four characters, the rule of thumb providers give for English. */
const CHARACTERS_PER_TOKEN = 4;
/** Role and framing of each message. */
const MESSAGE_OVERHEAD_TOKENS = 4;
/**
 * An image, whatever its bytes: OpenAI charges a 1024 × 1024 image at high detail 765 tokens
 * and any image at low detail 85; Anthropic about width × height / 750, some 1,600 at most.
 */
const IMAGE_TOKENS = 1000;
const LOW_DETAIL_IMAGE_TOKENS = 85;
/** A file, a document or audio sent inline: its pages or seconds are not known before the answer. */
const MEDIA_TOKENS = 1000;
/** Inline data (a data URL, or a long run of base64) is media, not text to count by characters. */
const DATA_URL = /^data:[^,]{0,100};base64,/;
const BASE64_RUN = /^[A-Za-z0-9+/]{1024}/;
const IMAGE_PARTS = new Set(['image_url', 'image', 'input_image']);
const MEDIA_PARTS = new Set(['file', 'input_file', 'document', 'input_audio', 'audio']);

/**
 * Tokens a request will be charged before any answer: its prompt, and the output it may
 * produce (`max_completion_tokens`, `max_tokens`, else `outputEstimate`), as providers charge
 * a request against the TPM budget on admission. Corrected from the usage when it answers.
 * Images, files and audio count a fixed amount each, never their base64 as text: one image
 * would otherwise be charged as hundreds of thousands of tokens, a lane's whole TPM.
 */
export function estimateTokens(body: any, outputEstimate: number): number {
  const { input, output } = estimateUsage(body, outputEstimate);
  return input + output;
}

/** {@link estimateTokens} as its input and output parts, for limits held apart (Anthropic's). */
export function estimateUsage(
  body: any,
  outputEstimate: number,
): { input: number; output: number } {
  if (body === null || typeof body !== 'object') return { input: 0, output: outputEstimate };
  let input = 0;
  const messages = Array.isArray(body.messages) ? body.messages : undefined;
  if (messages !== undefined) {
    for (const message of messages) input += textTokens(message?.content) + MESSAGE_OVERHEAD_TOKENS;
    if (body.system !== undefined) input += textTokens(body.system) + MESSAGE_OVERHEAD_TOKENS;
  } else {
    input = textTokens(body.input ?? body.prompt);
  }
  const maxOutput = body.max_completion_tokens ?? body.max_output_tokens ?? body.max_tokens;
  const output = typeof maxOutput === 'number' && maxOutput >= 0 ? maxOutput : outputEstimate;
  return { input, output };
}

/**
 * A data URL, or 1,024 characters or more of base64 mixing upper case, lower case and digits
 * (Anthropic's and OpenAI's audio `data`), as no prose or code is.
 */
function isInlineData(text: string): boolean {
  if (DATA_URL.test(text)) return true;
  if (!BASE64_RUN.test(text)) return false;
  const head = text.slice(0, 1024);
  return /[A-Z]/.test(head) && /[a-z]/.test(head) && /[0-9]/.test(head);
}

function textTokens(content: unknown): number {
  if (content === undefined || content === null) return 0;
  if (typeof content === 'string')
    return isInlineData(content) ? MEDIA_TOKENS : Math.ceil(content.length / CHARACTERS_PER_TOKEN);
  if (Array.isArray(content)) {
    let tokens = 0;
    for (const part of content) tokens += partTokens(part);
    return tokens;
  }
  return structuredTokens(content);
}

/** One part of a message's content: text, an image, a file, or anything else by its JSON. */
function partTokens(part: any): number {
  if (typeof part === 'string') return textTokens(part);
  if (typeof part?.text === 'string') return textTokens(part.text);
  const type = typeof part?.type === 'string' ? part.type : undefined;
  if (type !== undefined && IMAGE_PARTS.has(type)) {
    const detail = part.image_url?.detail ?? part.detail;
    return detail === 'low' ? LOW_DETAIL_IMAGE_TOKENS : IMAGE_TOKENS;
  }
  if (type !== undefined && MEDIA_PARTS.has(type)) return MEDIA_TOKENS;
  return structuredTokens(part);
}

/** Any other value by its JSON, with each inline data string counted as media instead. */
function structuredTokens(value: unknown): number {
  let media = 0;
  const json = JSON.stringify(value, (_key, item) => {
    if (typeof item === 'string' && isInlineData(item)) {
      media++;
      return '';
    }
    return item;
  });
  return Math.ceil((json?.length ?? 0) / CHARACTERS_PER_TOKEN) + media * MEDIA_TOKENS;
}
