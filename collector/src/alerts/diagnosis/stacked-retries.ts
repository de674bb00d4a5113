import type { KeyView } from '../../view/snapshot.js';
import { formatNumber, formatPercent } from '../format.js';
import type { Finding, Fix, Suspects } from './types.js';

/** Attempts per call above which retry layers multiply: one layer rarely averages 1.5. */
export const RETRY_AMPLIFICATION_TRIGGER = 1.5;

/** What each retry layer added over the window, in words, for the layers that retried. */
const LAYER_WORDS = {
  client: (count: number) => `the client resent ${count}`,
  framework: (count: number) => `the framework (LangChain) asked its client again ${count} times`,
  app: (count: number) => `the app repeated ${count} ${count === 1 ? 'call' : 'calls'}`,
} as const;

/**
 * Logical calls the app asked for over the window: those started, less the ones that repeat an
 * identical call (the app's own retries). Counted from the starts, not the ends: while a storm
 * of retries is on, most calls have not ended, and attempts per ended call would be the whole
 * storm's requests over its first few answers. Data with no starts (only the calls counter)
 * falls back to the calls ended.
 */
export function callsAsked(key: KeyView): number {
  const started = key.callsStartedPerMinute;
  if (started <= 0) return key.callsPerMinute;
  return Math.max(0, started - key.retriesPerMinute.app);
}

/**
 * Attempts per call the app asked for: HTTP attempts over `callsAsked`. Null with no call.
 */
export function attemptsPerAskedCall(key: KeyView): number | null {
  const asked = callsAsked(key);
  if (asked <= 0) return null;
  return Math.round((key.requestsPerMinute / asked) * 100) / 100;
}

/**
 * Share of the key's logical calls that repeat an identical one (the app retrying, often
 * leaving the first still in flight): in-flight counts and bursts are inflated by it.
 */
export function appRepeatShare(key: KeyView): number {
  const started = key.callsStartedPerMinute;
  if (started <= 0) return 0;
  return Math.min(1, key.retriesPerMinute.app / started);
}

/**
 * Stacked retries: SDK + LangChain + node retry policy + the app's own loop, each retrying the
 * others. The amplification counts the app's repeats too: an app that gives up waiting and asks
 * again makes a new logical call each time, which attempts per logical call alone never shows.
 */
export function stackedRetries({ key }: Suspects): Finding | undefined {
  if (key === undefined) return undefined;
  const amplification = attemptsPerAskedCall(key);
  if (amplification === null || amplification <= RETRY_AMPLIFICATION_TRIGGER) return undefined;
  const retries = key.retriesPerMinute;
  const layers = (['client', 'framework', 'app'] as const).filter((layer) => retries[layer] > 0);
  const asked = callsAsked(key);
  const share = key.requestsPerMinute > 0 ? key.rateLimitedPerMinute / key.requestsPerMinute : 0;
  const seen =
    layers.length === 0
      ? ''
      : ` ${layers.length} retry ${layers.length === 1 ? 'layer' : 'layers'} seen: ` +
        `${layers.map((layer) => LAYER_WORDS[layer](retries[layer])).join(', ')}.`;
  return {
    cause: 'stacked_retries',
    title: 'Stacked retries',
    score: amplification / RETRY_AMPLIFICATION_TRIGGER,
    summary:
      `${formatNumber(amplification)} HTTP attempts per call the app asked for ` +
      `(${key.requestsPerMinute} requests for ${asked} calls a minute), ` +
      `${key.rateLimitedPerMinute} 429s per minute (${formatPercent(share)} of the requests).${seen}`,
    evidence: {
      attemptsPerCall: amplification,
      requestsPerMinute: key.requestsPerMinute,
      callsPerMinute: asked,
      rateLimitedPerMinute: key.rateLimitedPerMinute,
      rateLimitedShare: Math.round(share * 100) / 100,
      retryLayers: layers.length,
      ...(layers.length > 0 && {
        clientRetriesPerMinute: retries.client,
        frameworkRetriesPerMinute: retries.framework,
        appRepeatsPerMinute: retries.app,
      }),
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
