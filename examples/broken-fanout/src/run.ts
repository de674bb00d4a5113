import type { Headroom } from '@headroom/sdk';
import OpenAI from 'openai';

export interface RunOptions {
  /** The provider's base URL, `/v1` included. */
  baseURL: string;
  headroom: Headroom;
  apiKey?: string;
  /** The name Headroom shows for the key (`headroom.key`). */
  key?: string;
  /** How many chunks the document is cut into: one model call each, all at once. */
  chunks?: number;
  /** The fix: Headroom's guard on the client (`guard: true`), the same code otherwise. */
  guard?: boolean;
}

/** What the app itself saw of one run. */
export interface Summary {
  calls: number;
  succeeded: number;
  failed: number;
  /** 429s that reached the app's own code. The ones the `openai` client retried never do. */
  rateLimited: number;
  durationMs: number;
}

/**
 * Summarises every chunk of a document at once: `Promise.all` over one `create` per chunk, with
 * the `openai` client's default retries (2). The whole burst reaches the provider in the same
 * second, so all but that second's share of the per-minute limit comes back 429, and the SDK's
 * retries come back together the next second, when the same thing happens again.
 */
export async function run({
  baseURL,
  headroom,
  apiKey = 'sk-example-fanout',
  key = 'fanout',
  chunks = 60,
  guard = false,
}: RunOptions): Promise<Summary> {
  const client = headroom.instrument(new OpenAI({ apiKey, baseURL }), { key, guard });
  const started = performance.now();
  // `allSettled` rather than `all` only so that the example can count every outcome: the burst
  // the provider sees is the same.
  const results = await Promise.allSettled(
    Array.from({ length: chunks }, (_, index) =>
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        max_tokens: 64,
        messages: [
          { role: 'system', content: 'Summarise this part of the report in one sentence.' },
          { role: 'user', content: chunkText(index) },
        ],
      }),
    ),
  );
  const failures = results.filter((result) => result.status === 'rejected');
  return {
    calls: chunks,
    succeeded: chunks - failures.length,
    failed: failures.length,
    rateLimited: failures.filter((failure) => statusOf(failure.reason) === 429).length,
    durationMs: performance.now() - started,
  };
}

function chunkText(index: number): string {
  return `Part ${index + 1} of the annual report. Revenue grew in every region, costs held flat, and the board approved the plan for the next year.`;
}

function statusOf(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}
