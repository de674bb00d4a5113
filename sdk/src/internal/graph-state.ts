import { type Context, type Span, SpanKind, trace } from '@opentelemetry/api';
import * as semconv from '../semconv.js';
import { errorName, markFailed } from './mark-failed.js';
import type { NodeSeries } from './series.js';
import type { Telemetry } from './telemetry.js';

/** One run of a graph: the supersteps it took and how often each node ran. */
export class RunState {
  readonly span: Span;
  readonly context: Context;
  readonly #steps = new Set<number>();
  readonly #executions = new Map<NodeSeries, number>();
  #ended = false;

  constructor(
    private readonly telemetry: Telemetry,
    readonly graph: string,
    /** Learned from the first node's config when the caller did not pass one. */
    public recursionLimit: number | undefined,
    parent: Context,
  ) {
    const attributes: Record<string, string | number> = {
      [semconv.ATTR_GEN_AI_OPERATION_NAME]: 'invoke_agent',
      [semconv.ATTR_GEN_AI_AGENT_NAME]: graph,
      [semconv.ATTR_HEADROOM_GRAPH_NAME]: graph,
    };
    this.span = telemetry.tracer.startSpan(
      `invoke_agent ${graph}`,
      { kind: SpanKind.INTERNAL, attributes },
      parent,
    );
    this.context = trace.setSpan(parent, this.span);
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
    this.telemetry.store.runStepsFor(this.graph, this.recursionLimit).record(steps);
    for (const [series, count] of this.#executions) series.executionsPerRun.record(count);
    this.span.setAttribute('headroom.graph.run.steps', steps);
    if (this.recursionLimit !== undefined) {
      this.span.setAttribute(semconv.ATTR_HEADROOM_GRAPH_RECURSION_LIMIT, this.recursionLimit);
    }
    if (error !== undefined) markFailed(this.span, error, errorName(error));
    this.span.end();
  }
}

/** One execution of a graph node: an INTERNAL span under which its model calls nest. */
export class NodeState {
  readonly span: Span;
  readonly context: Context;
  #ended = false;

  constructor(
    telemetry: Telemetry,
    readonly series: NodeSeries,
    readonly graph: string,
    readonly node: string,
    readonly run: RunState | undefined,
    step: number | undefined,
    parent: Context,
  ) {
    const attributes: Record<string, string | number> = {
      [semconv.ATTR_HEADROOM_GRAPH_NAME]: graph,
      [semconv.ATTR_HEADROOM_GRAPH_NODE]: node,
    };
    if (step !== undefined) attributes[semconv.ATTR_HEADROOM_GRAPH_STEP] = step;
    this.span = telemetry.tracer.startSpan(
      `node ${node}`,
      { kind: SpanKind.INTERNAL, attributes },
      parent,
    );
    this.context = trace.setSpan(parent, this.span);
    series.executions++;
    series.active.increment();
    run?.noteExecution(series, step);
  }

  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.series.active.decrement();
    if (error !== undefined && !isGraphControlFlow(error)) {
      markFailed(this.span, error, errorName(error));
    }
    this.span.end();
  }
}

/** LangGraph signals interrupts and `Command` jumps by throwing; those are not node failures. */
function isGraphControlFlow(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'GraphInterrupt' || name === 'NodeInterrupt' || name === 'ParentCommand';
}
