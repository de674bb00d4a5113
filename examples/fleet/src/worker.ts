import { durationSeconds, headroomFor, sleep } from '@headroom/example-kit';
import { backToBack } from './back-to-back.js';
import { fleetClient, LONG_TICKET, SHORT_TICKET } from './fleet-client.js';
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
const jobsAtOnce = optionalNumber('JOBS_AT_ONCE');
if (jobsAtOnce !== undefined && !(Number.isInteger(jobsAtOnce) && jobsAtOnce > 0)) {
  throw new Error(`Expected JOBS_AT_ONCE to be a positive integer, got ${jobsAtOnce}`);
}
const longTicketsAfter = optionalNumber('LONG_TICKETS_AFTER_SECONDS');
if (longTicketsAfter !== undefined && !(longTicketsAfter >= 0)) {
  throw new Error(
    `Expected LONG_TICKETS_AFTER_SECONDS to be a number from 0 up, got ${longTicketsAfter}`,
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
// `on`, not `once`: a group signal and then the parent's own must both end in the summary.
const stop = new AbortController();
let orphaned = false;
process.on('SIGINT', () => stop.abort());
process.on('SIGTERM', () => stop.abort());
process.once('disconnect', () => {
  orphaned = true;
  stop.abort();
});

// Every replica is ready (Headroom started, client built) before any starts: the parent says
// when, so the fleet's load starts at one moment, as behind a load balancer.
if (process.send !== undefined) {
  const go = new Promise<void>((resolve) => {
    process.on('message', (message: { start?: boolean }) => {
      if (message?.start === true) resolve();
    });
    stop.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  process.send({ ready: true });
  await go;
}
const started = performance.now();
const ticket = () =>
  longTicketsAfter !== undefined && performance.now() - started >= longTicketsAfter * 1000
    ? LONG_TICKET
    : SHORT_TICKET;
const call = (signal: AbortSignal) => client.ask(signal, ticket());
if (jobsAtOnce === undefined) {
  await pacedCalls({
    call,
    callsPerSecond,
    durationSeconds: durationSeconds(60),
    signal: stop.signal,
  });
} else {
  // The SDK's retries (2, each after at most the provider's retry-after) finish within the grace.
  await backToBack({
    call,
    jobsAtOnce,
    durationSeconds: durationSeconds(60),
    signal: stop.signal,
    graceMilliseconds: 5000,
  });
}
// Flush what is left; an unreachable collector must not hold the exit.
await Promise.race([headroom.shutdown(), sleep(3000)]);
const summary: WorkerSummary = {
  instanceId,
  ...client.tally,
  durationSeconds: (performance.now() - started) / 1000,
};
if (orphaned) process.exit(0);
process.stdout.write(`${JSON.stringify(summary)}\n`, () => process.exit(0));

function optionalNumber(name: string): number | undefined {
  const text = process.env[name];
  return text === undefined || text === '' ? undefined : Number(text);
}
