import type { RateLimits } from '@headroom/mock-provider';
import type { Headroom } from '@headroom/sdk';
import { provider } from './provider.js';
import { durationSeconds, headroomFor, onStop, say, sleep } from './setup.js';

export interface RoundContext {
  /** The provider's base URL with `/v1`, for an OpenAI-compatible client. */
  baseURL: string;
  headroom: Headroom;
  /** `HEADROOM_KEY`, when set: the key's name in Headroom. */
  key: string | undefined;
}

/**
 * An example's CLI: a provider (the shared mock, or its own with `limits`), Headroom, then
 * `round` over and over for `DURATION_SECONDS` (default 60) with a pause between, one line per
 * round, and everything flushed and closed at the end or on Ctrl-C.
 */
export async function runExample({
  name,
  limits,
  pauseMs = 2000,
  round,
}: {
  name: string;
  limits: RateLimits;
  pauseMs?: number;
  round: (context: RoundContext) => Promise<string>;
}): Promise<void> {
  const { url, close } = await provider(limits);
  const headroom = headroomFor(name);
  const stop = onStop(async () => {
    await headroom.shutdown();
    await close();
  });
  const context: RoundContext = { baseURL: `${url}/v1`, headroom, key: process.env.HEADROOM_KEY };
  const deadline = Date.now() + durationSeconds(60) * 1000;
  for (let index = 1; Date.now() < deadline; index++) {
    say(name, `round ${index}: ${await round(context)}`);
    await sleep(pauseMs);
  }
  await stop();
}
