import type { KeySeries } from './key-series.js';
import { SecondRing } from './second-ring.js';

/** One graph × node, summed over replicas. */
export class NodeSeries {
  readonly executions = new SecondRing();
  /** Logical calls made from the node that ended in each second. */
  readonly calls = new SecondRing();
  /** Fleet-wide peak of the node's model calls in flight in each second. */
  readonly callsPeak = new SecondRing();
  /** Fleet-wide peak of the node's executions running at once in each second. */
  readonly activePeak = new SecondRing();
  /** Largest executions-per-run any replica reported in each second. */
  readonly executionsPerRun = new SecondRing();
  /** Latest executions running now, per replica × stream. */
  readonly active = new Map<string, { value: number; seenAt: number }>();
  /** Latest peaks since the previous export, per replica × stream. */
  readonly peaks = new Map<string, number>();
  readonly callPeaks = new Map<string, number>();
  /** The keys the node's calls went to, with the last second each was called. */
  readonly keys = new Map<KeySeries, number>();

  constructor(
    readonly graph: string,
    readonly node: string,
  ) {}

  /** Logical calls from this node to `key` that ended in `second`. */
  addCalls(second: number, amount: number, key: KeySeries): void {
    this.calls.add(second, amount);
    this.keys.set(key, second);
  }
}

/** One graph: supersteps per run. */
export class GraphSeries {
  readonly steps = new SecondRing();
  recursionLimit: number | undefined;
  constructor(readonly graph: string) {}
}
