/**
 * The chart ranges the page offers, in seconds. Up to the hour they are the collector's live
 * 1-second history, kept going by the frames; past it, its 1-minute rollups (up to the 7 days
 * it keeps), refetched once a minute.
 */
export const RANGES = [300, 900, 3600, 21_600, 86_400, 604_800] as const;
export type RangeSeconds = (typeof RANGES)[number];

export const RANGE_LABEL: Readonly<Record<RangeSeconds, string>> = {
  300: '5 min',
  900: '15 min',
  3600: '1 h',
  21600: '6 h',
  86400: '24 h',
  604800: '7 d',
};

/** The collector's 1 s history covers the last hour; longer ranges are 1-minute rollups. */
const LIVE_SECONDS = 3600;

/** Seconds per point of a range: 1, or 60 for the ranges read from the rollups. */
export function resolutionOf(range: RangeSeconds): 1 | 60 {
  return range > LIVE_SECONDS ? 60 : 1;
}

/** The `api/history` request that loads a range. */
export function historyPath(range: RangeSeconds): string {
  return resolutionOf(range) === 1
    ? `api/history?seconds=${range}`
    : `api/history?minutes=${range / 60}`;
}

/** When a minute range refetches: this long after each minute ends, so the collector has it. */
export const MINUTE_REFRESH_LAG_MS = 2000;

/** Milliseconds from `now` (epoch ms) until the next refetch of a minute range. */
export function untilMinuteRefresh(now: number): number {
  return 60_000 - (((now % 60_000) + 60_000) % 60_000) + MINUTE_REFRESH_LAG_MS;
}
