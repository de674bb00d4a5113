import { formatNumber } from '../format.js';
import type { Finding, Fix, Suspects } from './types.js';

/** Attempts per call above which retry layers multiply: one layer rarely averages 1.5. */
export const RETRY_AMPLIFICATION_TRIGGER = 1.5;

/** Stacked retries: SDK + LangChain + node retry policy + the app's own loop, each retrying the others. */
export function stackedRetries({ key }: Suspects): Finding | undefined {
  const amplification = key?.retryAmplification;
  if (key === undefined || amplification === null || amplification === undefined) return undefined;
  if (amplification <= RETRY_AMPLIFICATION_TRIGGER) return undefined;
  return {
    cause: 'stacked_retries',
    title: 'Stacked retries',
    score: amplification / RETRY_AMPLIFICATION_TRIGGER,
    summary:
      `${formatNumber(amplification)} HTTP attempts per logical call (${key.requestsPerMinute} requests for ` +
      `${key.callsPerMinute} calls a minute), ${key.rateLimitedPerMinute} 429s per minute.`,
    evidence: {
      attemptsPerCall: amplification,
      requestsPerMinute: key.requestsPerMinute,
      callsPerMinute: key.callsPerMinute,
      rateLimitedPerMinute: key.rateLimitedPerMinute,
    },
    fix: FIX,
  };
}

const FIX: Fix = {
  text:
    'Keep exactly one retry layer: turn off the retries of the SDK, LangChain and node retry ' +
    'policies, and retry once, with exponential backoff and full jitter, honouring retry-after. ' +
    "Headroom's guard is such a layer: with guard: true the client's own retries become the guard's.",
  snippet: [
    `import OpenAI from 'openai';`,
    ``,
    `// The only retry layer is withBackoff below (LangChain: new ChatOpenAI({ maxRetries: 0 })).`,
    `const openai = new OpenAI({ maxRetries: 0 });`,
    ``,
    `async function withBackoff<T>(call: () => Promise<T>, attempts = 4): Promise<T> {`,
    `  for (let attempt = 1; ; attempt++) {`,
    `    try {`,
    `      return await call();`,
    `    } catch (error: any) {`,
    `      const retryable = error?.status === 429 || error?.status >= 500;`,
    `      if (!retryable || attempt >= attempts) throw error;`,
    `      const retryAfter = Number(error.headers?.get?.('retry-after') ?? error.headers?.['retry-after']);`,
    `      const backoff = Math.random() * Math.min(30_000, 500 * 2 ** attempt); // full jitter`,
    `      const wait = Number.isFinite(retryAfter) ? Math.max(retryAfter * 1000, backoff) : backoff;`,
    `      await new Promise((resolve) => setTimeout(resolve, wait));`,
    `    }`,
    `  }`,
    `}`,
    ``,
    `const answer = await withBackoff(() => openai.chat.completions.create(request));`,
    ``,
    `// Or Headroom's guard as the one layer: it takes over the client's maxRetries.`,
    `// const openai = headroom.instrument(new OpenAI(), { guard: true });`,
  ].join('\n'),
};
