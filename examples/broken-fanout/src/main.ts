import { durationSeconds, headroomFor, onStop, provider, say, sleep } from '@headroom/example-kit';
import { run } from './run.js';

// 300 RPM is 5 requests a second: a burst of 60 gets 5 through and 55 429s.
const { url, close } = await provider({ rpm: 300, concurrency: 20 });
const headroom = headroomFor('broken-fanout');
const stop = onStop(async () => {
  await headroom.shutdown();
  await close();
});

const deadline = Date.now() + durationSeconds(60) * 1000;
for (let round = 1; Date.now() < deadline; round++) {
  const summary = await run({ baseURL: `${url}/v1`, headroom, key: process.env.HEADROOM_KEY });
  say(
    'broken-fanout',
    `round ${round}: ${summary.calls} calls at once, ${summary.succeeded} ok, ${summary.failed} failed (${summary.rateLimited} with 429 after the SDK's retries), ${(summary.durationMs / 1000).toFixed(1)} s`,
  );
  await sleep(2000);
}
await stop();
