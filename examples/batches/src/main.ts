import { durationSeconds, headroomFor, onStop, provider, say, sleep } from '@headroom/example-kit';
import { run } from './run.js';

// 600 RPM and 60,000 TPM are 10 requests and 1,000 tokens a second. A ticket is about 120
// tokens, so one second holds about 8 of a batch of 50.
const { url, close } = await provider({ rpm: 600, tpm: 60_000 });
const headroom = headroomFor('batches');
const stop = onStop(async () => {
  await headroom.shutdown();
  await close();
});

const deadline = Date.now() + durationSeconds(60) * 1000;
for (let round = 1; Date.now() < deadline; round++) {
  const summary = await run({ baseURL: `${url}/v1`, headroom, key: process.env.HEADROOM_KEY });
  say(
    'batches',
    `round ${round}: ${summary.calls} documents in ${summary.batches} batches, ${summary.succeeded} ok, ${summary.failed} failed (${summary.rateLimited} with 429 after the SDK's retries), ${(summary.durationMs / 1000).toFixed(1)} s`,
  );
  await sleep(2000);
}
await stop();
