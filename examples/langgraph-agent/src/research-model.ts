import type { Headroom } from '@headroom/sdk';
import OpenAI from 'openai';

export interface Tally {
  /** Logical model calls: one `create(...)`, however often the client retried it. */
  calls: number;
  succeeded: number;
  failed: number;
  /** HTTP attempts the client sent, its own retries included. */
  attempts: number;
  /** 429 responses among those attempts. */
  rateLimited: number;
}

export interface ResearchModel {
  ask(prompt: string, signal?: AbortSignal): Promise<string>;
  readonly tally: Tally;
}

export interface ResearchModelOptions {
  baseURL: string;
  apiKey: string;
  key: string;
  headroom: Headroom;
}

/**
 * The model the agent's nodes call: an `openai` client instrumented by Headroom, with the SDK's
 * default retries, and a count of what happened, so a run can report the 429s it sat through
 * even when the client's retries hid them from the code.
 */
export function researchModel({
  baseURL,
  apiKey,
  key,
  headroom,
}: ResearchModelOptions): ResearchModel {
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
    async ask(prompt, signal) {
      tally.calls++;
      try {
        const completion = await client.chat.completions.create(
          { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] },
          // A signal of its own per call: the client adds an abort listener to the signal of
          // every attempt and never removes it, and the run's signal outlives dozens of calls.
          { signal: signal && AbortSignal.any([signal]) },
        );
        tally.succeeded++;
        return completion.choices[0]?.message.content ?? '';
      } catch (error) {
        tally.failed++;
        throw error;
      }
    },
  };
}
