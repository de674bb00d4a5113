import type { GraphView, NodeView } from '@headroom/contract/wire';

/** Executions of one node in one run past which it is a loop, as the collector's diagnosis says. */
export const LOOP_EXECUTIONS = 10;
/** Share of the recursion limit a run may take before the graph counts as looping. */
export const NEAR_RECURSION_LIMIT = 0.8;
/** Calls from one node within one second that make a fan-out burst. */
export const FAN_OUT_BURST = 10;

export interface Flag {
  kind: 'loop' | 'fan-out';
  text: string;
}

export function nearRecursionLimit(graph: GraphView | undefined): boolean {
  return (
    graph !== undefined &&
    graph.recursionLimit !== null &&
    graph.recursionLimit > 0 &&
    graph.maxStepsPerRun >= NEAR_RECURSION_LIMIT * graph.recursionLimit
  );
}

/** The text badges of one node: a loop, a fan-out burst. */
export function nodeFlags(node: NodeView, graph: GraphView | undefined): Flag[] {
  const flags: Flag[] = [];
  if (node.maxExecutionsPerRun > LOOP_EXECUTIONS)
    flags.push({ kind: 'loop', text: `loop: ${node.maxExecutionsPerRun} executions in one run` });
  // Near the recursion limit, the loop is the nodes run more than once a run: a node run once
  // (the entry, the final answer) is not part of it.
  else if (nearRecursionLimit(graph) && node.maxExecutionsPerRun > 1)
    flags.push({
      kind: 'loop',
      text: `loop: ${graph!.maxStepsPerRun} of ${graph!.recursionLimit} steps`,
    });
  if (node.burstSize >= FAN_OUT_BURST)
    flags.push({ kind: 'fan-out', text: `fan-out: ${node.burstSize} calls in one second` });
  return flags;
}
