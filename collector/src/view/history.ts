import type { History } from '@headroom/contract';
import type { View } from './view.js';
import { WINDOW_SECONDS } from './window.js';

export type { History } from '@headroom/contract';

interface SlidingSource {
  sum(second: number, seconds: number): number;
  slice(second: number, seconds: number): number[];
}

/**
 * The 60-second sum at each of `length` seconds from `from`, in one pass: each second adds the
 * second that enters the window and takes away the one that leaves it. Exact for whole numbers
 * (all counts are); a window with fractions is summed afresh each second, so a chart never
 * differs from the snapshot by a rounding error.
 */
function slidingSums(ring: SlidingSource, from: number, length: number): number[] {
  if (length === 0) return [];
  const values = ring.slice(from + length - 1, length + WINDOW_SECONDS - 1);
  if (!values.every(Number.isInteger))
    return Array.from({ length }, (_, index) => ring.sum(from + index, WINDOW_SECONDS));
  const sums = new Array<number>(length);
  let total = 0;
  for (let index = 0; index < WINDOW_SECONDS - 1; index++) total += values[index]!;
  for (let index = 0; index < length; index++) {
    total += values[index + WINDOW_SECONDS - 1]!;
    sums[index] = total;
    total -= values[index]!;
  }
  return sums;
}

/** Seconds of history the view holds: requests for more are cut to this. */
export const MAX_HISTORY_SECONDS = 3600;

/**
 * Chart-ready history, one value per second, columnar as uPlot takes it (`History` of the
 * contract). Rates are the sliding 60-second sums the view reports at each second, so a chart and
 * the snapshot always agree.
 */
export function history(view: View, fromSecond: number, toSecond: number): History {
  const to = Math.min(toSecond, view.second());
  const from = Math.max(fromSecond, to - MAX_HISTORY_SECONDS + 1);
  const length = Math.max(0, to - from + 1);
  const seconds = Array.from({ length }, (_, index) => from + index);
  const sliding = (ring: SlidingSource) => slidingSums(ring, from, length);
  const result: History = { seconds, keys: {}, nodes: {} };
  for (const series of view.keys.values()) {
    const requests = sliding(series.requests);
    const calls = sliding(series.calls);
    const input = sliding(series.inputTokens);
    const output = sliding(series.outputTokens);
    result.keys[`${series.key}|${series.provider}|${series.model}`] = {
      key: series.key,
      provider: series.provider,
      model: series.model,
      requestsPerMinute: requests,
      tokensPerMinute: input.map((value, index) => value + output[index]!),
      rateLimitedPerMinute: sliding(series.rateLimited),
      retriesPerMinute: requests.map((value, index) => Math.max(0, value - calls[index]!)),
      peakActiveCalls: series.peakActive.slice(to, length),
      ...(series.guard !== undefined && {
        guardWaiting: series.guard.waiting.slice(to, length),
        activeAtProvider: series.guard.atProvider.slice(to, length),
      }),
    };
  }
  for (const series of view.nodes.values()) {
    result.nodes[`${series.graph}|${series.node}`] = {
      graph: series.graph,
      node: series.node,
      executionsPerSecond: series.executions.slice(to, length),
      peakActiveCalls: series.callsPeak.slice(to, length),
    };
  }
  return result;
}
