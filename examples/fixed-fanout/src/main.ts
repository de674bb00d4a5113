import { runExample } from '@headroom/example-kit';
import { run } from './run.js';

// The same provider as broken-fanout: 300 RPM (5 requests a second), 20 concurrent.
await runExample({
  name: 'fixed-fanout',
  limits: { rpm: 300, concurrency: 20 },
  round: async (context) => {
    const summary = await run(context);
    return `${summary.calls} calls, 3 at a time, ${summary.succeeded} ok, ${summary.failed} failed, ${summary.rateLimited} 429s retried with backoff, ${(summary.durationMs / 1000).toFixed(1)} s`;
  },
});
