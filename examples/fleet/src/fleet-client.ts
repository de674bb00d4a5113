import type { Headroom } from '@headroom/sdk';
import OpenAI from 'openai';

export interface Tally {
  /** Logical model calls: one `create(...)`, however often the client retried it. */
  calls: number;
  succeeded: number;
  failed: number;
  /** HTTP attempts the client sent, its own retries included: what the provider counts. */
  attempts: number;
  /** 429 responses among those attempts. */
  rateLimited: number;
}

export interface FleetClientOptions {
  baseURL: string;
  apiKey: string;
  /** The key's name in Headroom (`headroom.key`). */
  key: string;
  headroom: Headroom;
}

/** What a worker sends: a short ticket (28 tokens with the reply), or a long one (63). */
export const SHORT_TICKET = 'Classify this support ticket.';
export const LONG_TICKET =
  'Classify this support ticket. The customer writes: our nightly export has failed three ' +
  'times this week with a timeout, and the retry sends every row again; please advise.';

export interface FleetClient {
  ask(signal: AbortSignal, ticket?: string): Promise<void>;
  readonly tally: Tally;
}

/**
 * One worker's model client: `openai`, instrumented by Headroom, with the SDK's default retries,
 * counting its HTTP attempts and 429s so the worker can report what the retries hid.
 */
export function fleetClient({ baseURL, apiKey, key, headroom }: FleetClientOptions): FleetClient {
  const tally: Tally = { calls: 0, succeeded: 0, failed: 0, attempts: 0, rateLimited: 0 };
  const countingFetch: typeof fetch = async (input, init) => {
    tally.attempts++;
    const response = await fetch(input, init);
    if (response.status === 429) tally.rateLimited++;
    return response;
  };
  const client = headroom.instrument(new OpenAI({ apiKey, baseURL, fetch: countingFetch }), {
    key,
  });
  return {
    tally,
    async ask(signal, ticket = SHORT_TICKET) {
      tally.calls++;
      try {
        await client.chat.completions.create(
          { model: 'gpt-4o-mini', messages: [{ role: 'user', content: ticket }] },
          // A signal of its own per call: the client adds an abort listener to the signal of
          // every attempt and never removes it.
          { signal: AbortSignal.any([signal]) },
        );
        tally.succeeded++;
      } catch {
        // A call that failed after the client's retries is this worker's loss, not its end.
        tally.failed++;
      }
    },
  };
}
