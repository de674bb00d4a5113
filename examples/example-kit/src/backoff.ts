import { sleep } from './setup.js';

export interface BackoffOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

/**
 * Retries `task` on 429 and 5xx with exponential backoff and full jitter (a random wait between
 * 0 and base × 2^attempt), honouring the provider's `retry-after` when it gives one. The usual
 * second fix — which still stacks on the SDK's own retries unless those are turned off.
 */
export async function withBackoff<T>(
  task: () => Promise<T>,
  { attempts = 5, baseMs = 250, maxMs = 8000, random = Math.random }: BackoffOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      const status = (error as { status?: number }).status;
      const retryable = status === 429 || (typeof status === 'number' && status >= 500);
      if (!retryable || attempt >= attempts) throw error;
      const retryAfter = Number(
        (error as { headers?: Record<string, string> | Headers }).headers instanceof Headers
          ? (error as { headers: Headers }).headers.get('retry-after')
          : (error as { headers?: Record<string, string> }).headers?.['retry-after'],
      );
      const backoff = random() * Math.min(maxMs, baseMs * 2 ** attempt);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff);
    }
  }
}
