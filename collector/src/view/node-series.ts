import { type KeySeries, pruneReports, type Reported } from './key-series.js';
import { SecondRing } from './second-ring.js';

/** One graph × node, summed over replicas. */
export class NodeSeries {
  /** When it was admitted after it had been dropped (ms): see CounterState.increment. */
  readmittedAt: number | undefined;
  readonly executions = new SecondRing();
  /** Logical calls made from the node that ended in each second. */
  readonly calls = new SecondRing();
  /** Fleet-wide peak of the node's model calls in flight in each second. */
  readonly callsPeak = new SecondRing();
  /** Fleet-wide peak of the node's executions running at once in each second. */
  readonly activePeak = new SecondRing();
  /** Largest executions-per-run any replica reported in each second. */
  readonly executionsPerRun = new SecondRing();
  /**
   * Latest executions running now, per replica × stream. Fleet sums count the entries seen
   * within the replica TTL; the prune forgets the others, which bounds these maps to the
   * streams live in the last minute.
   */
  readonly active = new Map<string, Reported>();
  /** Latest peaks since the previous export, per replica × stream; bound as `active`. */
  readonly peaks = new Map<string, Reported>();
  readonly callPeaks = new Map<string, Reported>();
  /**
   * The keys the node's calls went to, with the last second each was called. Bound: the prune
   * forgets keys not called within the window, so an evicted key series is not held here.
   */
  readonly keys = new Map<KeySeries, number>();
  /** The last second any point reached the node (kept by the view's table). */
  lastSeen = 0;

  constructor(
    readonly graph: string,
    readonly node: string,
  ) {}

  prune(second: number, windowSeconds: number): void {
    pruneReports(this.active, second);
    pruneReports(this.peaks, second);
    pruneReports(this.callPeaks, second);
    for (const [key, lastSecond] of this.keys)
      if (lastSecond <= second - windowSeconds) this.keys.delete(key);
  }

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
  /** The last second any point reached the graph (kept by the view's table). */
  lastSeen = 0;
  constructor(readonly graph: string) {}
}
