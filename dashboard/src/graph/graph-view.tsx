import type { EdgeView, GraphView, NodeView } from '@headroom/contract/wire';
import { formatNumber } from '../format/format';
import { type Flag, nearRecursionLimit, nodeFlags } from './flags';
import { FlowDiagram } from './flow-diagram';

const NO_EDGES: readonly EdgeView[] = [];

/** Every graph seen: its nodes' figures with loop and fan-out badges, and the observed flow. */
export function GraphSection({
  nodes,
  graphs,
  edges,
}: {
  nodes: readonly NodeView[];
  graphs: readonly GraphView[];
  edges: readonly EdgeView[] | undefined;
}) {
  const names = [
    ...new Set([...graphs.map((graph) => graph.graph), ...nodes.map((node) => node.graph)]),
  ];
  if (names.length === 0)
    return (
      <p data-testid="no-graphs">
        No graph nodes seen in the last 60 s. Wrap nodes with <code>headroom.node()</code> or
        instrument a LangGraph graph to see them here.
      </p>
    );
  return (
    <>
      {names.map((name) => (
        <OneGraph
          key={name}
          name={name}
          graph={graphs.find((graph) => graph.graph === name)}
          nodes={nodes.filter((node) => node.graph === name)}
          edges={edges?.filter((edge) => edge.graph === name) ?? NO_EDGES}
          edgesKnown={edges !== undefined}
        />
      ))}
    </>
  );
}

function OneGraph({
  name,
  graph,
  nodes,
  edges,
  edgesKnown,
}: {
  name: string;
  graph: GraphView | undefined;
  nodes: readonly NodeView[];
  edges: readonly EdgeView[];
  edgesKnown: boolean;
}) {
  const flags = new Map<string, Flag[]>(nodes.map((node) => [node.node, nodeFlags(node, graph)]));
  const flagged = new Map<string, string>();
  for (const [node, list] of flags)
    if (list.length > 0) flagged.set(node, list.map((flag) => flag.kind).join(', '));
  const nearLimit = nearRecursionLimit(graph);
  return (
    <article className="card graph" data-testid="graph" data-graph={name}>
      <h3>
        {name}{' '}
        {nearLimit && (
          <span className="tag tag-warning" data-testid="flag" data-flag="recursion-limit">
            near recursion limit
          </span>
        )}
      </h3>
      {graph !== undefined && (
        <p className="muted" data-metric="maxStepsPerRun" data-value={graph.maxStepsPerRun}>
          Most steps in one run: {formatNumber(graph.maxStepsPerRun)}
          {graph.recursionLimit === null
            ? ' (no recursion limit reported)'
            : ` of a recursion limit of ${formatNumber(graph.recursionLimit)}`}
        </p>
      )}
      <FlowDiagram
        graph={name}
        nodes={nodes}
        edges={edges}
        edgesKnown={edgesKnown}
        flagged={flagged}
      />
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">Nodes of {name}</caption>
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Executions / s</th>
              <th scope="col">In flight (peak)</th>
              <th scope="col">Burst size</th>
              <th scope="col">Max executions / run</th>
              <th scope="col">Calls / min</th>
              <th scope="col">Flags</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((node) => (
              <tr
                key={node.node}
                data-testid="graph-node"
                data-graph={node.graph}
                data-node={node.node}
              >
                <th scope="row">{node.node}</th>
                <td data-metric="executionsPerSecond" data-value={node.executionsPerSecond}>
                  {formatNumber(node.executionsPerSecond)}
                </td>
                <td data-metric="activeExecutions" data-value={node.activeExecutions}>
                  {formatNumber(node.activeExecutions)}{' '}
                  <span
                    className="muted"
                    data-metric="peakActiveExecutions"
                    data-value={node.peakActiveExecutions}
                  >
                    ({formatNumber(node.peakActiveExecutions)})
                  </span>
                </td>
                <td data-metric="burstSize" data-value={node.burstSize}>
                  {formatNumber(node.burstSize)}
                </td>
                <td data-metric="maxExecutionsPerRun" data-value={node.maxExecutionsPerRun}>
                  {formatNumber(node.maxExecutionsPerRun)}
                </td>
                <td data-metric="callsPerMinute" data-value={node.callsPerMinute}>
                  {formatNumber(node.callsPerMinute)}
                </td>
                <td>
                  {(flags.get(node.node) ?? []).map((flag) => (
                    <span
                      key={flag.kind}
                      className={`tag tag-${flag.kind === 'loop' ? 'warning' : 'critical'}`}
                      data-testid="flag"
                      data-flag={flag.kind}
                    >
                      {flag.text}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}
