import { setTimeout as sleep } from 'node:timers/promises';

export interface PacedCallsOptions {
  /** Starts one call; it must settle, never reject. */
  call(signal: AbortSignal): Promise<void>;
  callsPerSecond: number;
  durationSeconds: number;
  /** Stops at once: no new calls, and the calls in flight are abandoned. */
  signal?: AbortSignal;
  /** How long calls still in flight at the end (waiting out a retry) may take to finish. */
  graceMilliseconds?: number;
}

/**
 * A replica's steady traffic: one call every 1 / `callsPerSecond` seconds for the duration,
 * started on schedule whether or not the previous one has answered, as requests from users
 * arrive. The first starts at a random point of the first interval, so replicas started
 * together do not fire in step.
 */
export async function pacedCalls({
  call,
  callsPerSecond,
  durationSeconds,
  signal,
  graceMilliseconds = 2000,
}: PacedCallsOptions): Promise<void> {
  const interval = 1000 / callsPerSecond;
  const deadline = performance.now() + durationSeconds * 1000;
  const abandon = new AbortController();
  const onStop = () => abandon.abort();
  signal?.addEventListener('abort', onStop, { once: true });
  const inFlight = new Set<Promise<void>>();
  try {
    let next = performance.now() + Math.random() * interval;
    while (next < deadline && !signal?.aborted) {
      await sleep(Math.max(0, next - performance.now()), undefined, { signal }).catch(() => {});
      if (signal?.aborted) break;
      const pending = call(abandon.signal).finally(() => inFlight.delete(pending));
      inFlight.add(pending);
      next += interval;
    }
    const grace = setTimeout(onStop, graceMilliseconds);
    await Promise.all(inFlight);
    clearTimeout(grace);
  } finally {
    signal?.removeEventListener('abort', onStop);
  }
}
