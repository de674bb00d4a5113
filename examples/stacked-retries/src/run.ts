import { withBackoff } from '@headroom/example-kit';
import type { Headroom } from '@headroom/sdk';
import { ChatOpenAI } from '@langchain/openai';

export interface RunOptions {
  /** The provider's base URL, `/v1` included. */
  baseURL: string;
  headroom: Headroom;
  apiKey?: string;
  /** The name Headroom shows for the key (`headroom.key`). */
  key?: string;
  /** How many questions the app asks at once. */
  calls?: number;
  /** LangChain's own retries per `invoke` (its `maxRetries`, 6 by default). */
  modelRetries?: number;
  /** The app's attempts per question, each one a new `invoke`. */
  appAttempts?: number;
}

/** What the app itself saw of one run. */
export interface Summary {
  calls: number;
  /** `invoke`s the app made: one per question, plus one per app-level retry. */
  invokes: number;
  succeeded: number;
  failed: number;
  /** 429s that reached the app's own code. The ones LangChain retried never do. */
  rateLimited: number;
  durationMs: number;
}

/**
 * Asks a few questions at once through LangChain's `ChatOpenAI`, which retries each `invoke` up
 * to `modelRetries` times, inside the app's own retry of `appAttempts`. Against a tight limit,
 * each layer retries what the one below gave up on: one question the app sees fail once is
 * many HTTP attempts at the provider, all of them counted against the same quota.
 */
export async function run({
  baseURL,
  headroom,
  apiKey = 'sk-example-retries',
  key = 'retries',
  calls = 10,
  modelRetries = 6,
  appAttempts = 3,
}: RunOptions): Promise<Summary> {
  const model = headroom.instrument(
    new ChatOpenAI({
      model: 'gpt-4o-mini',
      apiKey,
      maxTokens: 64,
      maxRetries: modelRetries,
      configuration: { baseURL },
    }),
    { key },
  );
  let invokes = 0;
  let rateLimited = 0;
  const ask = (index: number) =>
    withBackoff(
      async () => {
        invokes++;
        try {
          return await model.invoke(`Question ${index + 1}: which plan suits a team of five?`);
        } catch (error) {
          if ((error as { status?: number }).status === 429) rateLimited++;
          throw error;
        }
      },
      { attempts: appAttempts },
    );
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: calls }, (_, index) => ask(index)));
  const failed = results.filter((result) => result.status === 'rejected').length;
  return {
    calls,
    invokes,
    succeeded: calls - failed,
    failed,
    rateLimited,
    durationMs: performance.now() - started,
  };
}
