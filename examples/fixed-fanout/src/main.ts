import { durationSeconds, headroomFor, onStop, provider, say, sleep } from '@headroom/example-kit';
import { run } from './run.js';

// The same provider as broken-fanout: 300 RPM (5 requests a second), 20 concurrent.
const { url, close } = await provider({ rpm: 300, concurrency: 20 });
const headroom = headroomFor('fixed-fanout');
const stop = onStop(async () => {
  await headroom.shutdown();
  await close();
});

const deadline = Date.now() + durationSeconds(60) * 1000;
for (let round = 1; Date.now() < deadline; round++) {
  const summary = await run({ baseURL: `${url}/v1`, headroom, key: process.env.HEADROOM_KEY });
  say(
    'fixed-fanout',
    `round ${round}: ${summary.calls} calls, 3 at a time, ${summary.succeeded} ok, ${summary.failed} failed, ${summary.rateLimited} 429s retried with backoff, ${(summary.durationMs / 1000).toFixed(1)} s`,
  );
  await sleep(2000);
}
await stop();
