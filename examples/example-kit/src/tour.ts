import type { RateLimits } from '@headroom/mock-provider';

/** One example of the `npm start` tour. */
export interface TourPhase {
  /** Its directory under `examples/`. */
  example: string;
  /** What it shows, in words. */
  title: string;
  /** The API key it sends, and the key's ceilings at the tour's mock provider. */
  apiKey: string;
  limits: RateLimits;
  /** The key's name in Headroom. */
  key: string;
  /**
   * The cause the collector should find in the example's one incident, or `null` when the
   * example should open no incident at all (the guard holds its key under the ceilings).
   */
  expectedCause:
    | 'fan_out'
    | 'stacked_retries'
    | 'graph_loop'
    | 'batch_too_large'
    | 'shared_key'
    | 'none'
    | null;
  /** What to look at on the dashboard while it runs. */
  look: string;
}

/** The tour: each example, its provider key and ceilings, and what to look at while it runs. */
export const TOUR: readonly TourPhase[] = [
  {
    example: 'broken-fanout',
    title: 'uncontrolled fan-out',
    apiKey: 'sk-example-fanout',
    limits: { rpm: 300, concurrency: 20 },
    key: 'fanout',
    expectedCause: 'fan_out',
    look: 'key `fanout`: 60 calls in flight at once against 5 requests a second; the burst meter goes red and 429s follow.',
  },
  {
    example: 'fixed-fanout',
    title: 'the usual fix: a semaphore of 3 and backoff',
    apiKey: 'sk-example-fanout-fixed',
    limits: { rpm: 300, concurrency: 20 },
    key: 'fanout-fixed',
    expectedCause: 'none',
    look: 'key `fanout-fixed`: at most 3 in flight, far fewer 429s, but the quota sits mostly unused.',
  },
  {
    example: 'guarded-fanout',
    title: 'the fix: the Headroom guard (`guard: true`)',
    apiKey: 'sk-example-fanout-guarded',
    limits: { rpm: 300, concurrency: 20 },
    key: 'fanout-guarded',
    expectedCause: null,
    look: 'key `fanout-guarded`: the same 60 calls at once, paced by the guard at 5 a second: no 429, every call answered, and the Guard figures under the key.',
  },
  {
    example: 'stacked-retries',
    title: 'stacked retries',
    apiKey: 'sk-example-retries',
    limits: { rpm: 60, concurrency: 2 },
    key: 'retries',
    expectedCause: 'stacked_retries',
    look: 'key `retries`: retry amplification well above 1.5 (HTTP attempts per call); the diagnosis names stacked retries.',
  },
  {
    example: 'langgraph-agent',
    title: 'a graph loop (and a Send fan-out)',
    apiKey: 'sk-example-agent',
    limits: { rpm: 240, concurrency: 6 },
    key: 'agent',
    expectedCause: 'graph_loop',
    look: 'Graph: `research` fans out, `write` loops back on itself; without the hard stop its executions per run climb to the recursion limit.',
  },
  {
    example: 'batches',
    title: 'batches too large for the quota',
    apiKey: 'sk-example-batches',
    limits: { rpm: 600, tpm: 60_000 },
    key: 'batches',
    expectedCause: 'batch_too_large',
    look: 'key `batches`: 50 requests start in the same second, 5 times the per-second share; the charts show the sawtooth.',
  },
  {
    example: 'fleet',
    title: 'many replicas sharing one key',
    apiKey: 'sk-example-fleet',
    limits: { rpm: 240 },
    key: 'fleet',
    expectedCause: 'shared_key',
    look: 'Fleet: 8 replicas on `fleet`, each a modest share, together over 240 RPM; the diagnosis names the shared key.',
  },
];
