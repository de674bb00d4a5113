import type { Context, Span } from '@opentelemetry/api';
import type { CoreHost, NodeRecord, RunRecord } from './lifecycle.js';
import type { NodeSeries } from './series.js';

/** One run of a graph: the supersteps it took and how often each node ran. */
export class RunState implements RunRecord {
  /** The run's span, set by the lifecycle adapter. */
  span!: Span;
  readonly context: Context;
  readonly startTime = performance.now();
  readonly #steps = new Set<number>();
  readonly #executions = new Map<NodeSeries, number>();
  #ended = false;

  constructor(
    private readonly telemetry: CoreHost,
    readonly graph: string,
    /** Learned from the first node's config when the caller did not pass one. */
    public recursionLimit: number | undefined,
    parent: Context,
  ) {
    this.context = telemetry.lifecycle.runStart(this, parent);
  }

  noteExecution(series: NodeSeries, step: number | undefined): void {
    this.#executions.set(series, (this.#executions.get(series) ?? 0) + 1);
    if (step !== undefined) this.#steps.add(step);
  }

  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    // Hand-written graphs report no superstep numbers; each node execution is then one step.
    let steps = this.#steps.size;
    if (steps === 0) for (const count of this.#executions.values()) steps += count;
    const store = this.telemetry.store;
    store.runStepsFor(this.graph, this.recursionLimit).record(steps);
    store
      .workflowDurationFor(this.graph, error)
      ?.record((performance.now() - this.startTime) / 1000);
    for (const [series, count] of this.#executions) series.executionsPerRun.record(count);
    this.telemetry.lifecycle.runEnd(this, steps, error);
  }
}

/** One execution of a graph node: the scope its model calls run in. */
export class NodeState implements NodeRecord {
  /** The node's span, set by the lifecycle adapter. */
  span!: Span;
  readonly context: Context;
  #ended = false;

  constructor(
    private readonly telemetry: CoreHost,
    readonly series: NodeSeries,
    readonly graph: string,
    readonly node: string,
    readonly run: RunState | undefined,
    readonly step: number | undefined,
    parent: Context,
  ) {
    series.executions++;
    series.active.increment();
    run?.noteExecution(series, step);
    this.context = telemetry.lifecycle.nodeStart(this, parent);
  }

  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.series.active.decrement();
    this.telemetry.lifecycle.nodeEnd(
      this,
      error !== undefined && !isGraphControlFlow(error) ? error : undefined,
    );
  }
}

/** LangGraph signals interrupts and `Command` jumps by throwing; those are not node failures. */
function isGraphControlFlow(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'GraphInterrupt' || name === 'NodeInterrupt' || name === 'ParentCommand';
}
