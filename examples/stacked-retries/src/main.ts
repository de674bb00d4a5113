import { runExample } from '@headroom/example-kit';
import { run } from './run.js';

// 60 RPM (1 request a second) and 2 concurrent: 10 questions at once are mostly refused, and
// every layer retries.
await runExample({
  name: 'stacked-retries',
  limits: { rpm: 60, concurrency: 2 },
  round: async (context) => {
    const summary = await run(context);
    return `${summary.calls} questions, ${summary.invokes} invokes (app retries included), ${summary.succeeded} ok, ${summary.failed} failed, ${summary.rateLimited} 429s reached the app, ${(summary.durationMs / 1000).toFixed(1)} s`;
  },
});
