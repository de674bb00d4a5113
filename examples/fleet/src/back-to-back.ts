import type { PacedCallsOptions } from './paced-calls.js';

export interface BackToBackOptions extends Omit<PacedCallsOptions, 'callsPerSecond'> {
  /** Jobs in progress at once: each starts its next call as soon as its last one settles. */
  jobsAtOnce: number;
}

/**
 * A replica that works through a queue: `jobsAtOnce` jobs at a time, each starting its next
 * call the moment its last one settles, until the duration is up. Calls in flight never exceed
 * `jobsAtOnce`, and while the provider admits everything there are exactly that many.
 */
export async function backToBack({
  call,
  jobsAtOnce,
  durationSeconds,
  signal,
  graceMilliseconds = 2000,
}: BackToBackOptions): Promise<void> {
  const deadline = performance.now() + durationSeconds * 1000;
  const abandon = new AbortController();
  const onStop = () => abandon.abort();
  signal?.addEventListener('abort', onStop, { once: true });
  let grace: NodeJS.Timeout | undefined;
  const job = async () => {
    while (performance.now() < deadline && !signal?.aborted) await call(abandon.signal);
  };
  try {
    const jobs = Array.from({ length: jobsAtOnce }, job);
    // Past the deadline, a call still waiting out a retry gets the grace, then is abandoned.
    const remaining = deadline - performance.now();
    grace = setTimeout(onStop, Math.max(0, remaining) + graceMilliseconds);
    await Promise.all(jobs);
  } finally {
    clearTimeout(grace);
    signal?.removeEventListener('abort', onStop);
  }
}
