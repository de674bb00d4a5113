import type { MinuteHistory } from '@headroom/contract';
import type { Rollup } from '../storage/types.js';

/** Minutes of rollups kept on disk: 7 days. */
export const MAX_HISTORY_MINUTES = 7 * 24 * 60;

/**
 * History at 1-minute resolution from the rollups, in the same columnar shape as the 1-second
 * history (x in epoch seconds, one column per series; minutes without traffic are zeros). A key
 * with a guard in any minute of the range has the guard's columns; its minutes without one read
 * zero waiting and, at the provider, every call in flight.
 */
export function rollupHistory(
  rows: readonly Rollup[],
  fromMinute: number,
  toMinute: number,
): MinuteHistory {
  const length = Math.max(0, toMinute - fromMinute + 1);
  const seconds = Array.from({ length }, (_, index) => (fromMinute + index) * 60);
  const result: MinuteHistory = {
    seconds,
    resolutionSeconds: 60,
    keys: {},
    nodes: {},
  };
  const zeros = () => new Array<number>(length).fill(0);
  for (const row of rows) {
    const index = Math.floor(row.minute / 60_000) - fromMinute;
    if (index < 0 || index >= length) continue;
    const id = `${row.key}|${row.provider}|${row.model}`;
    let series = result.keys[id];
    if (series === undefined) {
      series = {
        key: row.key,
        provider: row.provider,
        model: row.model,
        requestsPerMinute: zeros(),
        tokensPerMinute: zeros(),
        rateLimitedPerMinute: zeros(),
        retriesPerMinute: zeros(),
        peakActiveCalls: zeros(),
      };
      result.keys[id] = series;
    }
    series.requestsPerMinute[index] = row.requests;
    series.tokensPerMinute[index] = row.inputTokens + row.outputTokens;
    series.rateLimitedPerMinute[index] = row.rateLimited;
    series.retriesPerMinute[index] = Math.max(0, row.requests - row.calls);
    series.peakActiveCalls[index] = row.peakActive;
    if (row.peakGuardWaiting !== undefined || row.peakActiveAtProvider !== undefined) {
      if (series.guardWaiting === undefined) {
        series.guardWaiting = zeros();
        series.activeAtProvider = [...series.peakActiveCalls];
      }
      series.guardWaiting[index] = row.peakGuardWaiting ?? 0;
      series.activeAtProvider![index] = row.peakActiveAtProvider ?? row.peakActive;
    } else if (series.activeAtProvider !== undefined) {
      series.activeAtProvider[index] = row.peakActive;
    }
  }
  return result;
}
