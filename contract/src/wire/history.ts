/**
 * `GET /api/history` and every live frame's `history`: chart-ready columns, one value per second,
 * as uPlot takes them. `seconds` is the x axis and every series is an array of the same length.
 */

export interface KeyHistory {
  key: string;
  provider: string;
  model: string;
  requestsPerMinute: number[];
  tokensPerMinute: number[];
  rateLimitedPerMinute: number[];
  /** HTTP attempts beyond the first of each call, per minute: the retries. */
  retriesPerMinute: number[];
  /** Calls in flight, those waiting in a guard included: the most at once in each second. */
  peakActiveCalls: number[];
  /**
   * Keys a guard is on (any replica's): the calls waiting in the guards, summed over replicas,
   * as the snapshot's `guard.waiting` stood after each export of the second (the most, when
   * several came). Absent on a key no guard is on.
   */
  guardWaiting?: number[];
  /**
   * Keys a guard is on: the calls at the provider, the snapshot's `activeAtProvider` after each
   * export of the second (the most). Absent on a key no guard is on, where every call in flight
   * is at the provider (`peakActiveCalls`).
   */
  activeAtProvider?: number[];
}

export interface NodeHistory {
  graph: string;
  node: string;
  executionsPerSecond: number[];
  peakActiveCalls: number[];
}

export interface History {
  /** Epoch seconds. */
  seconds: number[];
  /** By `key|provider|model`. */
  keys: Record<string, KeyHistory>;
  /** By `graph|node`. */
  nodes: Record<string, NodeHistory>;
}

/**
 * `GET /api/history?minutes=`: the same columns at 1-minute resolution, from the rollups on disk
 * (the minutes not rolled up yet from the live view). Each minute is the minute's total for
 * rates and its peak for levels (`peakActiveCalls`, `guardWaiting`, `activeAtProvider`), at the
 * minute's first second. Only minutes that have ended: the minute under way is not in it.
 */
export interface MinuteHistory extends History {
  resolutionSeconds: number;
}
