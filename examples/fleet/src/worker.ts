import { durationSeconds, headroomFor, sleep } from '@headroom/example-kit';
import { fleetClient } from './fleet-client.js';
import { pacedCalls } from './paced-calls.js';
import type { WorkerSummary } from './worker-summary.js';

// One replica of the fleet, a process of its own: `HEADROOM_INSTANCE_ID` makes it its own
// `service.instance.id`, and every replica uses the same key.
const mockUrl = process.env.MOCK_URL;
if (!mockUrl) throw new Error('Expected MOCK_URL: the provider this worker calls');
const callsPerSecond = Number(process.env.CALLS_PER_SECOND ?? 0.7);
if (!(callsPerSecond > 0)) {
  throw new Error(
    `Expected CALLS_PER_SECOND to be a positive number, got ${process.env.CALLS_PER_SECOND}`,
  );
}
const key = process.env.HEADROOM_KEY ?? 'fleet';
const instanceId = process.env.HEADROOM_INSTANCE_ID ?? `pid-${process.pid}`;

const headroom = headroomFor('fleet-worker');
const client = fleetClient({
  baseURL: `${mockUrl.replace(/\/+$/, '')}/v1`,
  apiKey: `sk-example-${key}`,
  key,
  headroom,
});

// Stop early on Ctrl-C (the terminal signals the whole process group), on the parent's SIGTERM,
// and when the IPC channel to the parent closes: a parent that died must not leave us running.
const stop = new AbortController();
let orphaned = false;
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());
process.once('disconnect', () => {
  orphaned = true;
  stop.abort();
});

const started = performance.now();
await pacedCalls({
  call: (signal) => client.ask(signal),
  callsPerSecond,
  durationSeconds: durationSeconds(60),
  signal: stop.signal,
});
// Flush what is left; an unreachable collector must not hold the exit.
await Promise.race([headroom.shutdown(), sleep(3000)]);
const summary: WorkerSummary = {
  instanceId,
  ...client.tally,
  durationSeconds: (performance.now() - started) / 1000,
};
if (orphaned) process.exit(0);
process.stdout.write(`${JSON.stringify(summary)}\n`, () => process.exit(0));
