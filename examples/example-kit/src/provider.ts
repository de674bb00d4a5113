import { type RateLimits, startMockProvider } from '@headroom/mock-provider';

export interface Provider {
  /** Base URL of the provider, without `/v1`. */
  url: string;
  close(): Promise<void>;
}

/**
 * The provider an example talks to: `MOCK_URL` when the tour (or you) started a shared mock,
 * else a mock of its own on a free port with `limits` for every key, so the example runs alone.
 */
export async function provider(
  limits: RateLimits,
  latency = { fixedMs: 300, jitterMs: 200 },
): Promise<Provider> {
  const shared = process.env.MOCK_URL;
  if (shared) return { url: shared.replace(/\/+$/, ''), close: async () => {} };
  const mock = await startMockProvider({ port: 0, defaultLimits: limits, latency });
  return { url: mock.url, close: () => mock.close() };
}
