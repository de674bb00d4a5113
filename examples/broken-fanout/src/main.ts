import { runExample, sleep } from '@headroom/example-kit';
import { run } from './run.js';

// Documents as users upload them: of different lengths (one model call per chunk, all at once)
// and at uneven times. 300 RPM is 5 requests a second: a burst of 60 gets 5 through and 55 429s.
const CHUNKS = [60, 24, 90, 36, 75, 48];
const PAUSES_MS = [1000, 4000, 2000, 6000, 3000];

let documents = 0;
await runExample({
  name: 'broken-fanout',
  limits: { rpm: 300, concurrency: 20 },
  pauseMs: 0,
  round: async (context) => {
    const index = documents++;
    const summary = await run({ ...context, chunks: CHUNKS[index % CHUNKS.length]! });
    await sleep(PAUSES_MS[index % PAUSES_MS.length]!);
    return `a document of ${summary.calls} chunks, all at once: ${summary.succeeded} ok, ${summary.failed} failed (${summary.rateLimited} with 429 after the SDK's retries), ${(summary.durationMs / 1000).toFixed(1)} s`;
  },
});
