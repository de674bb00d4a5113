import { runExample } from '@headroom/example-kit';
import { run } from './run.js';

// 600 RPM and 60,000 TPM are 10 requests and 1,000 tokens a second. A ticket is about 120
// tokens, so one second holds about 8 of a batch of 50.
await runExample({
  name: 'batches',
  limits: { rpm: 600, tpm: 60_000 },
  round: async (context) => {
    const summary = await run(context);
    return `${summary.calls} documents in ${summary.batches} batches, ${summary.succeeded} ok, ${summary.failed} failed (${summary.rateLimited} with 429 after the SDK's retries), ${(summary.durationMs / 1000).toFixed(1)} s`;
  },
});
