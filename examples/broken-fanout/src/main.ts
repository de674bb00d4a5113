import { runExample } from '@headroom/example-kit';
import { run } from './run.js';

// 300 RPM is 5 requests a second: a burst of 60 gets 5 through and 55 429s.
await runExample({
  name: 'broken-fanout',
  limits: { rpm: 300, concurrency: 20 },
  round: async (context) => {
    const summary = await run(context);
    return `${summary.calls} calls at once, ${summary.succeeded} ok, ${summary.failed} failed (${summary.rateLimited} with 429 after the SDK's retries), ${(summary.durationMs / 1000).toFixed(1)} s`;
  },
});
