import { durationSeconds, headroomFor, onStop, provider, say, sleep } from '@headroom/example-kit';
import { run } from './run.js';

// 60 RPM (1 request a second) and 2 concurrent: 10 questions at once are mostly refused, and
// every layer retries.
const { url, close } = await provider({ rpm: 60, concurrency: 2 });
const headroom = headroomFor('stacked-retries');
const stop = onStop(async () => {
  await headroom.shutdown();
  await close();
});

const deadline = Date.now() + durationSeconds(60) * 1000;
for (let round = 1; Date.now() < deadline; round++) {
  const summary = await run({ baseURL: `${url}/v1`, headroom, key: process.env.HEADROOM_KEY });
  say(
    'stacked-retries',
    `round ${round}: ${summary.calls} questions, ${summary.invokes} invokes (app retries included), ${summary.succeeded} ok, ${summary.failed} failed, ${summary.rateLimited} 429s reached the app, ${(summary.durationMs / 1000).toFixed(1)} s`,
  );
  await sleep(2000);
}
await stop();
