import { createServer } from 'node:net';
import {
  type MockProvider,
  type MockProviderStats,
  startMockProvider,
} from '@headroom/mock-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { type FleetSummary, runFleet } from './run.js';

const API_KEY = 'sk-example-fleet';

let mock: MockProvider | undefined;
let fleet: FleetSummary | undefined;
let stopFleet = new AbortController();

afterEach(async () => {
  // Whatever failed, no worker outlives its test.
  stopFleet.abort();
  stopFleet = new AbortController();
  for (const worker of fleet?.workers ?? [])
    if (worker.pid !== undefined && isRunning(worker.pid)) process.kill(worker.pid, 'SIGKILL');
  fleet = undefined;
  await mock?.close();
  mock = undefined;
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A loopback URL nothing listens on: Headroom's exports fail there, and must not hurt. */
async function nowhere(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 9}`;
}

describe('fleet', () => {
  it('three worker processes on one key: each exits 0 as its own replica, the provider saw every attempt they reported, none is left', async () => {
    mock = await startMockProvider({ port: 0, latency: { fixedMs: 20 } });

    fleet = await runFleet({
      workers: 3,
      mockUrl: mock.url,
      collectorUrl: await nowhere(),
      durationSeconds: 3,
      callsPerSecond: 2,
      signal: stopFleet.signal,
    });

    expect(
      fleet.workers.map(({ instanceId, exitCode, signal }) => ({ instanceId, exitCode, signal })),
    ).toEqual([
      { instanceId: 'worker-1', exitCode: 0, signal: null },
      { instanceId: 'worker-2', exitCode: 0, signal: null },
      { instanceId: 'worker-3', exitCode: 0, signal: null },
    ]);
    for (const { summary } of fleet.workers) {
      expect(summary?.calls).toBeGreaterThan(0);
      expect(summary).toMatchObject({ failed: 0, rateLimited: 0 });
      expect(summary?.succeeded).toBe(summary?.calls);
    }
    const stats = (await (await fetch(`${mock.url}/stats`)).json()) as MockProviderStats;
    expect(Object.keys(stats.keys)).toEqual([API_KEY]);
    expect(stats.keys[API_KEY]?.requests).toBe(fleet.attempts);
    expect(stats.keys[API_KEY]?.admitted).toBe(fleet.succeeded);
    for (const { pid } of fleet.workers) expect(isRunning(pid!)).toBe(false);
  });

  it('jobs back to back: the fleet holds exactly workers × jobsAtOnce in flight, and its tickets grow on time', async () => {
    mock = await startMockProvider({ port: 0, latency: { fixedMs: 100 } });

    fleet = await runFleet({
      workers: 2,
      mockUrl: mock.url,
      collectorUrl: await nowhere(),
      durationSeconds: 2,
      jobsAtOnce: 3,
      longTicketsAfterSeconds: 1,
      signal: stopFleet.signal,
    });

    expect(fleet.workers.map((worker) => worker.exitCode)).toEqual([0, 0]);
    expect(fleet).toMatchObject({ failed: 0, rateLimited: 0 });
    const provider = mock.stats().keys[API_KEY]!;
    expect(provider.requests).toBe(fleet.attempts);
    // Both workers start on one signal, and a job never has two calls out.
    expect(provider.peakConcurrency).toBe(6);
    // Short tickets take 28 tokens, long ones 63: both kinds were sent, and every job's first
    // call (at 0 s) was short.
    const long = (provider.tokens.total - 28 * provider.requests) / (63 - 28);
    expect(Number.isInteger(long)).toBe(true);
    expect(long).toBeGreaterThan(0);
    expect(provider.requests - long).toBeGreaterThanOrEqual(2 * 3);
  });

  it('modest alone, over the ceiling together: 3 workers at 2 calls/s each on a key that admits 4 a second get 429s', async () => {
    // 240 RPM admits 4 requests in any one clock second. Each worker sends exactly 2 in every
    // second it runs, so any second in which all three run brings 6: at least 2 are refused.
    mock = await startMockProvider({
      port: 0,
      defaultLimits: { rpm: 240 },
      latency: { fixedMs: 20 },
    });

    fleet = await runFleet({
      workers: 3,
      mockUrl: mock.url,
      collectorUrl: await nowhere(),
      durationSeconds: 4,
      callsPerSecond: 2,
      signal: stopFleet.signal,
    });

    expect(fleet.workers.map((worker) => worker.exitCode)).toEqual([0, 0, 0]);
    const provider = mock.stats().keys[API_KEY];
    expect(fleet.rateLimited).toBeGreaterThanOrEqual(2);
    // A request a worker abandoned at the end (still retrying after its grace) may have reached
    // the provider unseen; never the reverse.
    expect(provider?.rateLimited).toBeGreaterThanOrEqual(fleet.rateLimited);
    expect(provider?.admitted).toBeGreaterThanOrEqual(fleet.succeeded);
    expect(provider?.requests).toBeGreaterThanOrEqual(fleet.attempts);
    for (const { pid } of fleet.workers) expect(isRunning(pid!)).toBe(false);
  });
});
