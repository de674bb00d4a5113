import type {
  CallBursts,
  CeilingValue,
  Dimension,
  GuardView,
  KeyRef,
  KeyView,
  NodeView,
  Snapshot,
  UtilizationDimension,
} from '@headroom/contract';
import { burstThreshold, callBursts } from './call-bursts.js';
import { keyBudgets } from './key-budgets.js';
import { type KeySeries, liveSum } from './key-series.js';
import type { View } from './view.js';
import { WINDOW_SECONDS } from './window.js';

export type {
  CeilingValue,
  GraphView,
  GuardView,
  KeyRef,
  KeyView,
  NodeView,
  Snapshot,
  UtilizationDimension,
} from '@headroom/contract';

export { WINDOW_SECONDS } from './window.js';

/** Seconds back the predictive rule compares with, to take the slope of use. */
export const TREND_SECONDS = 15;
/** Seconds in which the busiest second is looked for (the burst). */
export const BURST_SECONDS = 10;

/** Configured ceilings of a key × provider × model (wildcards already resolved). */
export type CeilingResolver = (
  key: string,
  provider: string,
  model: string,
) => Partial<Record<Dimension, number>>;

export function snapshot(view: View, configured: CeilingResolver = () => ({})): Snapshot {
  const second = view.second();
  const keys = [...view.keys.values()].map((series) => ({
    series,
    view: keyView(series, second, configured),
  }));
  for (const [key, budget] of keyBudgets(keys, second)) key.budget = budget;
  return {
    time: view.now(),
    windowSeconds: WINDOW_SECONDS,
    keys: keys.map((key) => key.view).sort(byName),
    nodes: [...view.nodes.values()]
      .map((series): NodeView => {
        const active = liveSum(series.active.values(), second);
        return {
          graph: series.graph,
          node: series.node,
          executionsPerSecond: round(
            series.executions.sum(second, WINDOW_SECONDS) / WINDOW_SECONDS,
          ),
          activeExecutions: active,
          peakActiveExecutions: Math.max(active, series.activePeak.peak(second, WINDOW_SECONDS)),
          burstSize: Math.max(
            series.callsPeak.peak(second, WINDOW_SECONDS),
            series.calls.peak(second, WINDOW_SECONDS),
          ),
          callsPerMinute: series.calls.sum(second, WINDOW_SECONDS),
          maxExecutionsPerRun: series.executionsPerRun.peak(second, WINDOW_SECONDS),
          keys: [...series.keys]
            .filter(([, lastSecond]) => lastSecond > second - WINDOW_SECONDS)
            .map(([key]) => ({ key: key.key, provider: key.provider, model: key.model }))
            .sort(byName),
        };
      })
      .sort((a, b) => a.graph.localeCompare(b.graph) || a.node.localeCompare(b.node)),
    graphs: [...view.graphs.values()]
      .map((series) => ({
        graph: series.graph,
        maxStepsPerRun: series.steps.peak(second, WINDOW_SECONDS),
        recursionLimit: series.recursionLimit ?? null,
      }))
      .sort((a, b) => a.graph.localeCompare(b.graph)),
    edges: view.edges.edges(second, WINDOW_SECONDS),
    dropped: view.dropped(),
    limits: { ...view.limits },
  };
}

/** The key's bursts of call starts over the window (see `callBursts`). */
function keyBursts(series: KeySeries, second: number, rpm: number | undefined): CallBursts | null {
  const exported = series.exports.slice(second, WINDOW_SECONDS).map((value) => value > 0);
  if (!exported.includes(true)) return null;
  const starts = series.started.slice(second, WINDOW_SECONDS).map((value) => Math.max(0, value));
  return callBursts(
    starts,
    series.peakActive.slice(second, WINDOW_SECONDS),
    exported,
    burstThreshold(rpm),
  );
}

function keyView(series: KeySeries, second: number, configured: CeilingResolver): KeyView {
  const requestsPerMinute = series.requests.sum(second, WINDOW_SECONDS);
  const inputTokensPerMinute = series.inputTokens.sum(second, WINDOW_SECONDS);
  const outputTokensPerMinute = series.outputTokens.sum(second, WINDOW_SECONDS);
  const callsPerMinute = series.calls.sum(second, WINDOW_SECONDS);
  const activeCalls = series.activeNow(second);
  const guard = series.guard === undefined ? undefined : guardView(series, second);
  // Calls waiting in a guard hold no connection at the provider: they are not its concurrency.
  const activeAtProvider = Math.max(0, activeCalls - (guard?.waiting ?? 0));
  const ceilings = resolveCeilings(series, configured(series.key, series.provider, series.model));
  const use: Record<Dimension, number> = {
    rpm: requestsPerMinute,
    tpm: inputTokensPerMinute + outputTokensPerMinute,
    concurrency: activeAtProvider,
  };
  const utilization: Partial<Record<UtilizationDimension, number>> = {};
  for (const [dimension, ceiling] of Object.entries(ceilings) as Array<[Dimension, CeilingValue]>) {
    utilization[dimension] = round(use[dimension] / ceiling.value);
  }
  const peakRequestsPerSecond = series.requests.peak(second, BURST_SECONDS);
  if (ceilings.rpm !== undefined)
    utilization.burst = round(peakRequestsPerSecond / (ceilings.rpm.value / 60));
  return {
    key: series.key,
    provider: series.provider,
    model: series.model,
    requestsPerMinute,
    observedSeconds: Math.max(1, Math.min(WINDOW_SECONDS, second - series.firstSecond + 1)),
    peakRequestsPerSecond,
    requestsPerMinuteBefore: series.requests.sum(second - TREND_SECONDS, WINDOW_SECONDS),
    tokensPerMinuteBefore:
      series.inputTokens.sum(second - TREND_SECONDS, WINDOW_SECONDS) +
      series.outputTokens.sum(second - TREND_SECONDS, WINDOW_SECONDS),
    tokensPerMinute: use.tpm,
    inputTokensPerMinute,
    outputTokensPerMinute,
    callsPerMinute,
    rateLimitedPerMinute: series.rateLimited.sum(second, WINDOW_SECONDS),
    retryAmplification: callsPerMinute > 0 ? round(requestsPerMinute / callsPerMinute) : null,
    activeCalls,
    activeAtProvider,
    peakActiveCalls: Math.max(activeCalls, series.peakActive.peak(second, WINDOW_SECONDS)),
    bursts: keyBursts(series, second, ceilings.rpm?.value),
    callsStartedPerMinute: Math.max(0, series.started.sum(second, WINDOW_SECONDS)),
    peakCallsStartedPerSecond: Math.max(0, series.started.peak(second, WINDOW_SECONDS)),
    retriesPerMinute: {
      client: series.retries?.client.sum(second, WINDOW_SECONDS) ?? 0,
      framework: series.retries?.framework.sum(second, WINDOW_SECONDS) ?? 0,
      app: series.retries?.app.sum(second, WINDOW_SECONDS) ?? 0,
    },
    totals: { ...series.totals },
    replicas: series
      .liveReplicas(second)
      .map((share) => {
        const replicaRequests = share.requests.sum(second, WINDOW_SECONDS);
        return {
          instance: share.instance,
          service: share.service,
          requestsPerMinute: replicaRequests,
          peakRequestsPerSecond: share.requests.peak(second, BURST_SECONDS),
          share: requestsPerMinute > 0 ? round(replicaRequests / requestsPerMinute) : 0,
          activeCalls: share.activeNow(second),
        };
      })
      .sort((a, b) => a.instance.localeCompare(b.instance)),
    ceilings,
    utilization,
    ...(guard !== undefined && { guard }),
    budget: null,
  };
}

function guardView(series: KeySeries, second: number): GuardView {
  const guard = series.guard!;
  let waiting = 0;
  for (const share of series.liveReplicas(second)) waiting += share.guardWaiting ?? 0;
  const waits = guard.waits.sum(second, WINDOW_SECONDS);
  return {
    waiting,
    admittedPerMinute: guard.admitted.sum(second, WINDOW_SECONDS),
    delayedPerMinute: guard.delayed.sum(second, WINDOW_SECONDS),
    rejectedPerMinute: guard.rejected.sum(second, WINDOW_SECONDS),
    averageWaitSeconds:
      waits > 0 ? round(guard.waitSeconds.sum(second, WINDOW_SECONDS) / waits) : null,
  };
}

/**
 * A configured ceiling wins; otherwise the provider's own limit headers: requests → rpm, and
 * tokens (OpenAI) or input tokens (Anthropic's binding limit) → tpm.
 */
function resolveCeilings(
  series: KeySeries,
  configured: Partial<Record<Dimension, number>>,
): Partial<Record<Dimension, CeilingValue>> {
  const ceilings: Partial<Record<Dimension, CeilingValue>> = {};
  for (const [dimension, value] of Object.entries(configured) as Array<
    [Dimension, number | undefined]
  >) {
    if (value !== undefined && value > 0) ceilings[dimension] = { value, source: 'configured' };
  }
  const learnedRpm = series.learned.requests;
  const learnedTpm = series.learned.tokens ?? series.learned.input_tokens;
  if (ceilings.rpm === undefined && learnedRpm !== undefined && learnedRpm > 0)
    ceilings.rpm = { value: learnedRpm, source: 'learned' };
  if (ceilings.tpm === undefined && learnedTpm !== undefined && learnedTpm > 0)
    ceilings.tpm = { value: learnedTpm, source: 'learned' };
  return ceilings;
}

function byName(a: KeyRef, b: KeyRef): number {
  return (
    a.key.localeCompare(b.key) ||
    a.provider.localeCompare(b.provider) ||
    a.model.localeCompare(b.model)
  );
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
