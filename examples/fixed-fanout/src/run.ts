import { semaphore, withBackoff } from '@headroom/example-kit';
import type { Headroom } from '@headroom/sdk';
import OpenAI from 'openai';

export interface RunOptions {
  /** The provider's base URL, `/v1` included. */
  baseURL: string;
  headroom: Headroom;
  apiKey?: string;
  /** The name Headroom shows for the key (`headroom.key`). */
  key?: string;
  /** How many chunks the document is cut into: one model call each. */
  chunks?: number;
  /** How many calls may be in flight at once. */
  concurrency?: number;
  /** Attempts per call, the first one included. */
  attempts?: number;
}

/** What the app itself saw of one run. */
export interface Summary {
  calls: number;
  succeeded: number;
  failed: number;
  /** 429s that reached the app's own code: each one the backoff retried, and each final one. */
  rateLimited: number;
  durationMs: number;
}

/**
 * The usual fix for a fan-out: the same chunks behind a semaphore, each call retried with
 * exponential backoff and full jitter. The `openai` client's own retries are off, so that the
 * two layers do not multiply. A semaphore bounds calls in flight, not calls per second, so
 * some 429s remain: the next fix is to pace by the provider's ceilings.
 */
export async function run({
  baseURL,
  headroom,
  apiKey = 'sk-example-fanout-fixed',
  key = 'fanout-fixed',
  chunks = 60,
  concurrency = 3,
  attempts = 5,
}: RunOptions): Promise<Summary> {
  const client = headroom.instrument(new OpenAI({ apiKey, baseURL, maxRetries: 0 }), { key });
  const limit = semaphore(concurrency);
  let rateLimited = 0;
  const summarise = (index: number) =>
    client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        max_tokens: 64,
        messages: [
          { role: 'system', content: 'Summarise this part of the report in one sentence.' },
          { role: 'user', content: chunkText(index) },
        ],
      })
      .catch((error: unknown) => {
        if ((error as { status?: number }).status === 429) rateLimited++;
        throw error;
      });
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: chunks }, (_, index) =>
      limit(() => withBackoff(() => summarise(index), { attempts })),
    ),
  );
  const failed = results.filter((result) => result.status === 'rejected').length;
  return {
    calls: chunks,
    succeeded: chunks - failed,
    failed,
    rateLimited,
    durationMs: performance.now() - started,
  };
}

function chunkText(index: number): string {
  return `Part ${index + 1} of the annual report. Revenue grew in every region, costs held flat, and the board approved the plan for the next year.`;
}
