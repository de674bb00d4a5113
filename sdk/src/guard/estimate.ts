/** One token is about four characters, the rule of thumb providers give for English. */
const CHARACTERS_PER_TOKEN = 4;
/** Role and framing of each message. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * Tokens a request will be charged before any answer: its prompt, and the output it may
 * produce (`max_completion_tokens`, `max_tokens`, else `outputEstimate`), as providers charge
 * a request against the TPM budget on admission. Corrected from the usage when it answers.
 */
export function estimateTokens(body: any, outputEstimate: number): number {
  if (body === null || typeof body !== 'object') return outputEstimate;
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
  return input + output;
}

function textTokens(content: unknown): number {
  if (content === undefined || content === null) return 0;
  if (typeof content === 'string') return Math.ceil(content.length / CHARACTERS_PER_TOKEN);
  if (Array.isArray(content)) {
    let tokens = 0;
    for (const part of content)
      tokens +=
        typeof part === 'string'
          ? textTokens(part)
          : typeof part?.text === 'string'
            ? textTokens(part.text)
            : textTokens(JSON.stringify(part));
    return tokens;
  }
  return textTokens(JSON.stringify(content));
}
