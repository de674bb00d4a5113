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
  peakActiveCalls: number[];
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

/** `GET /api/history?minutes=`: the same columns at 1-minute resolution, from the rollups on disk. */
export interface MinuteHistory extends History {
  resolutionSeconds: number;
}
