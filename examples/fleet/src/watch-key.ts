import type { KeyStats, MockProviderStats } from '@headroom/mock-provider';

export interface KeyWindow {
  seconds: number;
  requests: number;
  admitted: number;
  rateLimited: number;
}

/**
 * What the provider saw on one API key, window by window, read from the mock's `GET /stats`:
 * the fleet-wide view that no single worker has. Returns a function that stops watching.
 */
export function watchKey(
  providerUrl: string,
  apiKey: string,
  everyMilliseconds: number,
  onWindow: (window: KeyWindow) => void,
): () => void {
  let previous: KeyStats | undefined;
  let previousAt = performance.now();
  const read = async () => {
    try {
      const response = await fetch(`${providerUrl}/stats`);
      const stats = (await response.json()) as MockProviderStats;
      const now = performance.now();
      const current = stats.keys[apiKey];
      if (current !== undefined) {
        onWindow({
          seconds: (now - previousAt) / 1000,
          requests: current.requests - (previous?.requests ?? 0),
          admitted: current.admitted - (previous?.admitted ?? 0),
          rateLimited: current.rateLimited - (previous?.rateLimited ?? 0),
        });
      }
      previous = current;
      previousAt = now;
    } catch {
      // The provider is closing or gone: the fleet's own summary still says what happened.
    }
  };
  const timer = setInterval(() => void read(), everyMilliseconds);
  return () => clearInterval(timer);
}
