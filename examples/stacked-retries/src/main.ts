import { runExample } from '@headroom/example-kit';
import { run } from './run.js';

// 60 RPM (1 request a second) and 2 concurrent. The app asks two questions at a time, one pair
// after another: within the concurrency ceiling, no fan-out, but more than one a second. Every
// refusal is retried by LangChain (2 retries) inside the app's own retry (3 attempts): up to 9
// HTTP attempts for one question, all against the same quota.
await runExample({
  name: 'stacked-retries',
  limits: { rpm: 60, concurrency: 2 },
  pauseMs: 0,
  round: async (context) => {
    const summary = await run({ ...context, calls: 2, modelRetries: 2 });
    return `${summary.calls} questions, ${summary.invokes} invokes (app retries included), ${summary.succeeded} ok, ${summary.failed} failed, ${summary.rateLimited} 429s reached the app, ${(summary.durationMs / 1000).toFixed(1)} s`;
  },
});
