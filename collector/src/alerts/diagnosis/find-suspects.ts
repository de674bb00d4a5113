import type { Snapshot } from '../../view/snapshot.js';
import { keySeries, nodeSeries } from '../series-id.js';
import type { Suspects } from './types.js';

/**
 * For a key alert, the suspects are the nodes whose model calls went to that key in the window
 * (a node's `headroom.calls` carry both). A node with no key recorded (a traces-only app) is a
 * suspect of every key: the evidence names the node, so a wrong guess is visible. A node alert
 * looks at its own node.
 */
export function findSuspects(snapshot: Snapshot, series: string): Suspects | undefined {
  const key = snapshot.keys.find((candidate) => {
    const id = keySeries(candidate);
    return series === id || series.startsWith(`${id}|dimension=`);
  });
  if (key !== undefined) {
    const id = keySeries(key);
    const nodes = snapshot.nodes.filter(
      (node) =>
        node.callsPerMinute > 0 &&
        (node.keys.length === 0 || node.keys.some((called) => keySeries(called) === id)),
    );
    const graphs = snapshot.graphs.filter((graph) =>
      nodes.some((node) => node.graph === graph.graph),
    );
    const label = `${key.key}/${key.provider}/${key.model}`;
    const budget = key.budget?.id;
    if (budget === undefined) return { label, key, nodes, graphs };
    const budgetKeys = snapshot.keys.filter((candidate) => candidate.budget?.id === budget);
    return { label, key, nodes, graphs, budgetKeys };
  }
  const node = snapshot.nodes.find((candidate) => nodeSeries(candidate) === series);
  if (node === undefined) return undefined;
  return {
    label: `${node.graph}/${node.node}`,
    nodes: [node],
    graphs: snapshot.graphs.filter((graph) => graph.graph === node.graph),
  };
}
