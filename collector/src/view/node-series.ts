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

  constructor(
    readonly graph: string,
    readonly node: string,
  ) {}
}

/** One graph: supersteps per run. */
export class GraphSeries {
  readonly steps = new SecondRing();
  recursionLimit: number | undefined;
  constructor(readonly graph: string) {}
}
