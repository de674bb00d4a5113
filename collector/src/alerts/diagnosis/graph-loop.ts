import { formatPercent } from '../format.js';
import { strongest } from './strongest.js';
import type { Finding, Fix, Suspects } from './types.js';

/** Executions of one node in one run past which it is a loop, not a pipeline. */
export const NODE_LOOP_TRIGGER = 10;
/** Share of the recursion limit a run may take before the graph counts as looping. */
export const STEPS_TRIGGER = 0.8;

type Candidate = Pick<Finding, 'score' | 'summary' | 'evidence'>;

/** Graph loops: a model node re-entered run after run, or runs close to the recursion limit. */
export function graphLoop({ nodes, graphs }: Suspects): Finding | undefined {
  const candidates: Candidate[] = [];
  for (const node of nodes) {
    if (node.maxExecutionsPerRun <= NODE_LOOP_TRIGGER) continue;
    const name = `${node.graph}/${node.node}`;
    const limit = graphs.find((graph) => graph.graph === node.graph)?.recursionLimit;
    candidates.push({
      score: node.maxExecutionsPerRun / NODE_LOOP_TRIGGER,
      summary: `${name} ran ${node.maxExecutionsPerRun} times in one run`,
      evidence: {
        node: name,
        executionsPerRun: node.maxExecutionsPerRun,
        ...(limit !== undefined && limit !== null && { recursionLimit: limit }),
      },
    });
  }
  for (const graph of graphs) {
    const limit = graph.recursionLimit;
    if (limit === null || limit <= 0 || graph.maxStepsPerRun < STEPS_TRIGGER * limit) continue;
    candidates.push({
      score: graph.maxStepsPerRun / (STEPS_TRIGGER * limit),
      summary: `${graph.graph} took ${graph.maxStepsPerRun} steps in one run, ${formatPercent(graph.maxStepsPerRun / limit)} of its recursion limit ${limit}`,
      evidence: { graph: graph.graph, stepsPerRun: graph.maxStepsPerRun, recursionLimit: limit },
    });
  }
  const best = strongest(candidates);
  if (best === undefined) return undefined;
  return {
    cause: 'graph_loop',
    title: 'Graph loop',
    ...best,
    summary: `${best.summary}.`,
    fix: FIX,
  };
}

const FIX: Fix = {
  text:
    'Stop the loop in the graph itself: count iterations in state and route to END past a limit, ' +
    'and lower recursionLimit to just above what a healthy run needs, so a runaway run fails fast.',
  snippet: [
    `import { Annotation, END } from '@langchain/langgraph';`,
    ``,
    `const State = Annotation.Root({`,
    `  // Each pass through the model node returns { iterations: 1 }; the reducer counts them.`,
    `  iterations: Annotation<number>({ reducer: (total, step) => total + step, default: () => 0 }),`,
    `});`,
    ``,
    `builder.addConditionalEdges('agent', (state) => (state.iterations >= 5 ? END : 'tools'));`,
    ``,
    `await graph.invoke(input, { recursionLimit: 12 });`,
  ].join('\n'),
};
