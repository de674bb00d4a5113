import { run } from '@headroom/example-broken-fanout';
import { runExample } from '@headroom/example-kit';

// The broken fan-out's 60 calls at once, with one option more: `guard: true`. The guard learns
// the 300 RPM from the first answer and sends the rest at 5 a second.
await runExample({
  name: 'guarded-fanout',
  limits: { rpm: 300, concurrency: 20 },
  round: async ({ baseURL, headroom, key }) => {
    const summary = await run({
      baseURL,
      headroom,
      apiKey: 'sk-example-fanout-guarded',
      key: key ?? 'fanout-guarded',
      guard: true,
    });
    return `${summary.calls} calls at once, ${summary.succeeded} ok, ${summary.failed} failed, ${(summary.durationMs / 1000).toFixed(1)} s`;
  },
});
