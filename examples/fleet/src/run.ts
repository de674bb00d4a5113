import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Tally } from './fleet-client.js';
import { type SpawnedWorker, spawnWorker, type WorkerResult } from './spawn-worker.js';

export type { Tally } from './fleet-client.js';
export type { WorkerResult } from './spawn-worker.js';
export type { WorkerSummary } from './worker-summary.js';

/**
 * The built worker. `../dist/` resolves the same from `dist/run.js` and from `src/run.ts` (the
 * tests), and from any package that imports this one.
 */
export const workerPath = fileURLToPath(new URL('../dist/worker.js', import.meta.url));

export interface FleetOptions {
  /** Worker processes, each its own replica. */
  workers?: number;
  /** The provider every worker calls (without `/v1`). */
  mockUrl: string;
  /** Where the workers export to; default: `HEADROOM_COLLECTOR_URL`, else the local collector. */
  collectorUrl?: string;
  durationSeconds?: number;
  /** Each worker's pace: modest alone, over the key's ceiling together. */
  callsPerSecond?: number;
  /**
   * Instead of a pace, each worker works through jobs back to back, this many at a time: the
   * fleet then has exactly `workers × jobsAtOnce` calls in flight while the provider admits all.
   */
  jobsAtOnce?: number;
  /** From this many seconds in, the workers send long tickets (63 tokens a call, not 28). */
  longTicketsAfterSeconds?: number;
  /** The shared key's name in Headroom; its API key is `sk-example-<key>`. */
  key?: string;
  /** Ends the fleet early: each worker gets SIGTERM, reports what it did, and exits. */
  signal?: AbortSignal;
}

export interface FleetSummary extends Tally {
  workers: WorkerResult[];
  durationSeconds: number;
}

/** How long a worker has to report and exit after SIGTERM before it gets SIGKILL. */
const KILL_AFTER_MS = 5000;

/** Runs N worker processes that share one key, and waits for every one of them. */
export async function runFleet({
  workers = 8,
  mockUrl,
  collectorUrl,
  durationSeconds = 60,
  callsPerSecond = 0.7,
  jobsAtOnce,
  longTicketsAfterSeconds,
  key = 'fleet',
  signal,
}: FleetOptions): Promise<FleetSummary> {
  if (!Number.isInteger(workers) || workers < 1) {
    throw new TypeError(`Expected \`workers\` to be an integer from 1 up, got ${workers}`);
  }
  if (!(callsPerSecond > 0)) {
    throw new TypeError(
      `Expected \`callsPerSecond\` to be a positive number, got ${callsPerSecond}`,
    );
  }
  if (jobsAtOnce !== undefined && !(Number.isInteger(jobsAtOnce) && jobsAtOnce > 0)) {
    throw new TypeError(`Expected \`jobsAtOnce\` to be a positive integer, got ${jobsAtOnce}`);
  }
  if (longTicketsAfterSeconds !== undefined && !(longTicketsAfterSeconds >= 0)) {
    throw new TypeError(
      `Expected \`longTicketsAfterSeconds\` to be a number from 0 up, got ${longTicketsAfterSeconds}`,
    );
  }
  if (!(durationSeconds > 0)) {
    throw new TypeError(
      `Expected \`durationSeconds\` to be a positive number, got ${durationSeconds}`,
    );
  }
  if (!existsSync(workerPath)) {
    throw new Error(
      `No worker at ${workerPath}: build @headroom/example-fleet first (npm run build)`,
    );
  }
  const env: NodeJS.ProcessEnv = {
    MOCK_URL: mockUrl,
    DURATION_SECONDS: String(durationSeconds),
    CALLS_PER_SECOND: String(callsPerSecond),
    HEADROOM_KEY: key,
  };
  if (collectorUrl !== undefined) env.HEADROOM_COLLECTOR_URL = collectorUrl;
  if (jobsAtOnce !== undefined) env.JOBS_AT_ONCE = String(jobsAtOnce);
  if (longTicketsAfterSeconds !== undefined)
    env.LONG_TICKETS_AFTER_SECONDS = String(longTicketsAfterSeconds);

  const started = performance.now();
  const fleet: SpawnedWorker[] = [];
  // However this process ends, no worker outlives it: `exit` handlers run synchronously.
  const killAll = () => {
    for (const { child } of fleet)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const terminate = () => {
    for (const { child } of fleet) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS).unref();
    }
  };
  process.once('exit', killAll);
  signal?.addEventListener('abort', terminate, { once: true });
  try {
    for (let index = 1; index <= workers; index++) {
      fleet.push(spawnWorker(workerPath, `worker-${index}`, env));
    }
    if (signal?.aborted) terminate();
    // One start for all: no replica's load begins while another is still booting.
    await Promise.all(fleet.map((worker) => worker.ready));
    for (const { child } of fleet) if (child.connected) child.send({ start: true });
    const results = await Promise.all(fleet.map((worker) => worker.ended));
    const total: Tally = { calls: 0, succeeded: 0, failed: 0, attempts: 0, rateLimited: 0 };
    for (const { summary } of results) {
      if (summary === undefined) continue;
      for (const field of Object.keys(total) as Array<keyof Tally>) total[field] += summary[field];
    }
    return { ...total, workers: results, durationSeconds: (performance.now() - started) / 1000 };
  } finally {
    killAll();
    process.removeListener('exit', killAll);
    signal?.removeEventListener('abort', terminate);
  }
}
