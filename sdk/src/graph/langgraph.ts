import { isWrapped, mark } from '../clients/patch-client.js';
import { reportFault } from '../internal/fault.js';
import type { RunState } from '../internal/graph-state.js';
import type { Telemetry } from '../internal/telemetry.js';

/** Where a run travels to its nodes: LangGraph hands `configurable` to every task, and leaves
 * keys that start with `__` out of checkpoints and metadata. */
const RUN_KEY = '__headroom_run';

/** A compiled LangGraph.js graph (`Pregel`): named nodes whose work is `bound.func`. */
export function isCompiledGraph(graph: any): boolean {
  return (
    typeof graph?._streamIterator === 'function' &&
    graph?.nodes !== null &&
    typeof graph?.nodes === 'object'
  );
}

/**
 * Instruments a compiled graph in place: each run (every `invoke`, `stream` and `streamEvents`
 * goes through `_streamIterator`) becomes a run span with its superstep count, and each node
 * function a node execution in whose scope model calls are tagged with the node. `Send` fan-out
 * runs the same node function N times at once: N executions, N calls in flight from that node.
 */
export function instrumentCompiledGraph(graph: any, telemetry: Telemetry, name: string): void {
  for (const [nodeName, node] of Object.entries<any>(graph.nodes)) {
    if (nodeName.startsWith('__')) continue;
    const bound = node?.bound;
    if (typeof bound?.func !== 'function' || isWrapped(bound.func)) continue;
    const func = bound.func;
    bound.func = mark(function headroomNode(
      this: unknown,
      input: unknown,
      config: any,
      ...rest: unknown[]
    ) {
      const run = config?.configurable?.[RUN_KEY] as RunState | undefined;
      const step = config?.metadata?.langgraph_step;
      if (
        run !== undefined &&
        run.recursionLimit === undefined &&
        typeof config?.recursionLimit === 'number'
      ) {
        run.recursionLimit = config.recursionLimit;
      }
      return telemetry.runNode(
        name,
        nodeName,
        run,
        typeof step === 'number' ? step : undefined,
        () => func.call(this, input, config, ...rest),
      );
    }, func);
  }

  const streamIterator = graph._streamIterator;
  if (isWrapped(streamIterator)) return;
  graph._streamIterator = mark(async function* _streamIterator(
    this: unknown,
    input: unknown,
    options: any,
  ) {
    if (!telemetry.enabled) {
      yield* streamIterator.call(this, input, options);
      return;
    }
    let run: RunState | undefined;
    try {
      const limit = options?.recursionLimit ?? graph.config?.recursionLimit;
      run = telemetry.startRun(name, typeof limit === 'number' ? limit : undefined);
    } catch (error) {
      reportFault('start graph run', error);
    }
    const config = run
      ? { ...options, configurable: { ...options?.configurable, [RUN_KEY]: run } }
      : options;
    let failure: unknown;
    try {
      yield* streamIterator.call(this, input, config);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      run?.end(failure);
    }
  }, streamIterator);
}
