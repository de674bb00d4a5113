import { parseArgs } from 'node:util';
import { durationSeconds, onStop, provider, say } from '@headroom/example-kit';
import { type FleetSummary, runFleet, type WorkerResult } from './run.js';
import { watchKey } from './watch-key.js';

const EXAMPLE = 'fleet';
const RPM = 240;
const CALLS_PER_SECOND = 0.7;

const { values } = parseArgs({ options: { workers: { type: 'string', default: '8' } } });
const workers = Number(values.workers);
const key = process.env.HEADROOM_KEY ?? 'fleet';
const seconds = durationSeconds(60);

// 240 RPM is 4 requests a second for the key. One worker at 0.7 a second uses a sixth of it;
// eight of them ask for 5.6 a second.
const mock = await provider({ rpm: RPM, concurrency: 10 });
const end = new AbortController();
let ended: FleetSummary | undefined;
say(
  EXAMPLE,
  `${workers} worker processes on ${mock.url}, each ${CALLS_PER_SECOND} calls/s (${Math.round(CALLS_PER_SECOND * 60)} RPM), all on key "${key}"`,
);
const stopWatching = watchKey(mock.url, `sk-example-${key}`, 5000, (window) => {
  const rate = (count: number) => (count / window.seconds).toFixed(1);
  say(
    EXAMPLE,
    `the key, fleet-wide: ${rate(window.requests)} requests/s, ${rate(window.admitted)}/s admitted, ${rate(window.rateLimited)}/s refused with 429`,
  );
});
const fleet = runFleet({
  workers,
  mockUrl: mock.url,
  durationSeconds: seconds,
  callsPerSecond: CALLS_PER_SECOND,
  key,
  signal: end.signal,
});
const stop = onStop(async () => {
  end.abort();
  stopWatching();
  ended ??= await fleet;
  for (const worker of ended.workers) say(EXAMPLE, describeWorker(worker));
  say(
    EXAMPLE,
    `all ${ended.workers.length}: ${plural(ended.calls, 'call')}, ${ended.succeeded} ok, ${ended.failed} failed, ${ended.rateLimited} × 429 in ${plural(ended.attempts, 'attempt')}`,
  );
  await mock.close();
});
ended = await fleet;
await stop();

function describeWorker({ instanceId, exitCode, signal, summary }: WorkerResult): string {
  const exit = signal ? `killed by ${signal}` : `exited ${exitCode}`;
  if (summary === undefined) return `${instanceId} ${exit}, no summary`;
  return `${instanceId} ${exit}: ${plural(summary.calls, 'call')}, ${summary.succeeded} ok, ${summary.failed} failed, ${summary.rateLimited} × 429 in ${plural(summary.attempts, 'attempt')}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
