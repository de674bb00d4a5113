import type { Headroom } from '@headroom/sdk';
import OpenAI from 'openai';

export interface RunOptions {
  /** The provider's base URL, `/v1` included. */
  baseURL: string;
  headroom: Headroom;
  apiKey?: string;
  /** The name Headroom shows for the key (`headroom.key`). */
  key?: string;
  /** How many documents to process: one model call each. */
  documents?: number;
  /** How many calls one batch sends at once. */
  batchSize?: number;
}

/** What the app itself saw of one run. */
export interface Summary {
  calls: number;
  batches: number;
  succeeded: number;
  failed: number;
  /** 429s that reached the app's own code. The ones the `openai` client retried never do. */
  rateLimited: number;
  durationMs: number;
}

/**
 * Classifies documents in batches: each batch is a `Promise.all` of `batchSize` calls, and the
 * next batch starts as soon as the last one ends, with no pacing. Each batch is a burst far
 * above what one second of the key's quota holds (its RPM and TPM divided by 60). The per-minute
 * figures can look fine while every batch runs into the per-second limit.
 */
export async function run({
  baseURL,
  headroom,
  apiKey = 'sk-example-batches',
  key = 'batches',
  documents = 500,
  batchSize = 50,
}: RunOptions): Promise<Summary> {
  const client = headroom.instrument(new OpenAI({ apiKey, baseURL }), { key });
  const classify = (index: number) =>
    client.chat.completions.create({
      model: 'gpt-4o-mini',
      max_tokens: 32,
      messages: [
        { role: 'system', content: 'Label this support ticket: billing, bug, feature or other.' },
        { role: 'user', content: documentText(index) },
      ],
    });
  const started = performance.now();
  let succeeded = 0;
  let rateLimited = 0;
  let batches = 0;
  for (let first = 0; first < documents; first += batchSize) {
    batches++;
    const indexes = Array.from(
      { length: Math.min(batchSize, documents - first) },
      (_, offset) => first + offset,
    );
    // `allSettled` rather than `all` only so that one failure does not hide the rest of the
    // batch's outcomes: the burst the provider sees is the same.
    const results = await Promise.allSettled(indexes.map(classify));
    for (const result of results) {
      if (result.status === 'fulfilled') succeeded++;
      else if ((result.reason as { status?: number }).status === 429) rateLimited++;
    }
  }
  return {
    calls: documents,
    batches,
    succeeded,
    failed: documents - succeeded,
    rateLimited,
    durationMs: performance.now() - started,
  };
}

/** A support ticket of a few hundred characters; its length varies, and so do its tokens. */
function documentText(index: number): string {
  const detail = ' The invoice total does not match the plan on the pricing page.'.repeat(
    1 + (index % 5),
  );
  return `Ticket ${index + 1}: I was charged twice this month after upgrading.${detail} Please refund the extra charge.`;
}
