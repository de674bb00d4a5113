import type { KeyView, Snapshot } from '@headroom/collector';
import { runFleet } from '@headroom/example-fleet';
import { type AgentSummary, run as runAgent } from '@headroom/example-langgraph-agent';
import type { MockProviderStats } from '@headroom/mock-provider';
import { type Headroom, init } from '@headroom/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { getJson, resources, startCollectorProcess, startMockProcess } from './processes.js';

const open = resources();
afterEach(() => open.close());

/** How long the fleet runs, and the agent starts new runs. */
const SECONDS = 20;
const LATENCY_MS = 250;

// The fleet: 4 replicas, each with 2 jobs back to back. A job's calls reach the provider more
// than 250 ms apart, so the fleet sends at most 32 requests in any clock second: under the 34 a
// second that 2040 RPM allows, at 94 % of it, from its first second (the warning needs 80 %, 28
// a second, which holds even on a loaded machine). Short tickets take 28 tokens, so 896 a
// second, under the 1400 a second of 84 000 TPM. From 16 s on, the tickets are long (63 tokens):
// 2016 a second, and the provider refuses the rest of each second. The warning has held its
// 10 s by then.
const WORKERS = 4;
const JOBS_AT_ONCE = 2;
const LONG_TICKETS_AFTER_SECONDS = 16;

// The agent: a Send to 12 topics at once (12 in flight), then its write loop, on a key that
// allows 20 requests a second: no 429s. Its first run has no hard stop, so `write` loops until
// the recursion limit of 40; the runs after stop at 3 revisions.
const TOPICS = Array.from({ length: 12 }, (_, index) => `cause ${index + 1}`);
const RECURSION_LIMIT = 40;

const LIMITS = {
  keys: {
    'sk-example-fleet': { rpm: 2040, tpm: 84_000 },
    'sk-example-agent': { rpm: 1200 },
  },
};

interface Transition {
  ruleId: string;
  series: string;
  state: 'pending' | 'firing' | 'resolved';
  at: number;
  diagnosis?: { cause: string; summary: string };
}

describe('the whole system against the provider’s own count', () => {
  it('fleet (4 replicas, one key) and LangGraph agent for 20 s: the collector’s totals, peaks, warning and diagnoses match what the provider saw', async () => {
    const data = open.directory();
    const collector = await startCollectorProcess(data);
    open.add(collector.stop);
    const mock = await startMockProcess(data, LIMITS, { latencyMs: LATENCY_MS, jitterMs: 0 });
    open.add(mock.stop);

    const headroom = init({
      serviceName: 'langgraph-agent',
      collectorUrl: collector.url,
      exportIntervalMillis: 500,
    });
    open.add(() => headroom.shutdown());

    // If the test fails or times out, the fleet and the agent stop with it.
    const stop = new AbortController();
    open.add(() => stop.abort());
    const [fleet, agentRuns] = await Promise.all([
      runFleet({
        workers: WORKERS,
        jobsAtOnce: JOBS_AT_ONCE,
        longTicketsAfterSeconds: LONG_TICKETS_AFTER_SECONDS,
        durationSeconds: SECONDS,
        mockUrl: mock.url,
        collectorUrl: collector.url,
        key: 'fleet',
        signal: stop.signal,
      }),
      agentRounds(`${mock.url}/v1`, headroom, stop.signal),
    ]);
    // Everything the agent recorded reaches the collector; the workers flushed as they exited.
    await headroom.shutdown();

    const stats = await getJson<MockProviderStats>(`${mock.url}/stats`);
    const view = await getJson<Snapshot>(`${collector.url}/api/snapshot`);
    const { history } = await getJson<{ history: Transition[] }>(
      `${collector.url}/api/alerts?limit=1000`,
    );
    const fleetTruth = stats.keys['sk-example-fleet']!;
    const agentTruth = stats.keys['sk-example-agent']!;
    const fleetSeen = keyOf(view, 'fleet');
    const agentSeen = keyOf(view, 'agent');
    const firstWarning = firstFiring(history, 'default-utilization-warning', 'key=fleet|');
    console.log(
      `truth: fleet ${fleetTruth.requests} requests, ${fleetTruth.rateLimited} × 429, ${fleetTruth.tokens.total} tokens, ` +
        `peak ${fleetTruth.peakConcurrency}, warning ${firstWarning ? ((fleetTruth.firstRateLimitedAt ?? 0) - firstWarning.at) / 1000 : '—'} s before the first 429; ` +
        `agent ${agentTruth.requests} requests in ${agentRuns.length} runs, ${agentTruth.tokens.total} tokens, peak ${agentTruth.peakConcurrency}`,
    );

    // Every worker ran its course, and every request the clients sent was answered: none was
    // abandoned on the way, so the clients' own counts are the provider's.
    expect(fleet.workers.map((worker) => worker.exitCode)).toEqual([0, 0, 0, 0]);
    expect(fleet.attempts).toBe(fleetTruth.requests);
    expect(agentRuns.reduce((sum, run) => sum + run.attempts, 0)).toBe(agentTruth.requests);
    for (const truth of [fleetTruth, agentTruth]) {
      expect({ errors: truth.errors, badRequests: truth.badRequests }).toEqual({
        errors: 0,
        badRequests: 0,
      });
    }

    // The run did what it is for: the fleet went over its ceiling, the agent stayed under its own.
    expect(fleetTruth.rateLimited).toBeGreaterThan(0);
    expect(agentTruth.rateLimited).toBe(0);
    expect(agentRuns[0]).toMatchObject({ stoppedBy: 'recursion limit' });

    // Requests, 429s and tokens: exactly the provider's count (the bar is ±1 %).
    for (const [seen, truth] of [
      [fleetSeen, fleetTruth],
      [agentSeen, agentTruth],
    ] as const) {
      expect({
        requests: seen.totals.requests,
        rateLimited: seen.totals.rateLimited,
        tokens: seen.totals.inputTokens + seen.totals.outputTokens,
      }).toEqual({
        requests: truth.requests,
        rateLimited: truth.rateLimited,
        tokens: truth.tokens.total,
      });
    }

    // Peak in flight: the provider's, and what the workload makes it (every job of every
    // replica; every topic of the Send).
    expect([fleetSeen.peakActiveCalls, fleetTruth.peakConcurrency]).toEqual([
      WORKERS * JOBS_AT_ONCE,
      WORKERS * JOBS_AT_ONCE,
    ]);
    expect([agentSeen.peakActiveCalls, agentTruth.peakConcurrency]).toEqual([
      TOPICS.length,
      TOPICS.length,
    ]);

    // The warning fired before the provider's first 429, and named the shared key.
    expect(firstWarning, 'a utilization warning on the fleet key').toBeDefined();
    expect(firstWarning!.at).toBeLessThan(fleetTruth.firstRateLimitedAt!);
    for (const transition of firing(history, 'key=fleet|')) {
      expect(transition.diagnosis?.cause, transition.ruleId).toBe('shared_key');
    }

    // The agent's loop was caught and named: write ran past 25 times in its first run.
    const loop = firstFiring(
      history,
      'default-node-executions-per-run-warning',
      'graph=research-agent|node=write',
    );
    expect(loop?.diagnosis?.cause).toBe('graph_loop');
    for (const transition of [
      ...firing(history, 'key=agent|'),
      ...firing(history, 'graph=research-agent|'),
    ]) {
      expect(['graph_loop', 'fan_out'], transition.ruleId).toContain(transition.diagnosis?.cause);
    }
  });
});

/** Agent runs until the time is up: the first without a hard stop, the rest with one. */
async function agentRounds(
  baseURL: string,
  headroom: Headroom,
  signal: AbortSignal,
): Promise<AgentSummary[]> {
  const started = performance.now();
  const runs: AgentSummary[] = [];
  do {
    runs.push(
      await runAgent({
        baseURL,
        headroom,
        topics: TOPICS,
        hardStop: runs.length > 0,
        maxRevisions: 3,
        recursionLimit: RECURSION_LIMIT,
        signal,
      }),
    );
  } while (performance.now() - started < SECONDS * 1000 && !signal.aborted);
  return runs;
}

function keyOf(view: Snapshot, key: string): KeyView {
  const found = view.keys.find(
    (candidate) =>
      candidate.key === key && candidate.provider === 'openai' && candidate.model === 'gpt-4o-mini',
  );
  if (found === undefined)
    throw new Error(`no key ${key} in the snapshot: ${view.keys.map((k) => k.key).join(', ')}`);
  return found;
}

function firing(history: Transition[], seriesPrefix: string): Transition[] {
  return history
    .filter(
      (transition) => transition.state === 'firing' && transition.series.startsWith(seriesPrefix),
    )
    .sort((a, b) => a.at - b.at);
}

function firstFiring(
  history: Transition[],
  ruleId: string,
  seriesPrefix: string,
): Transition | undefined {
  return firing(history, seriesPrefix).find((transition) => transition.ruleId === ruleId);
}
