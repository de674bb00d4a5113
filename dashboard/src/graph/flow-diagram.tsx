import type { EdgeView, NodeView } from '@headroom/contract/wire';
import { useId } from 'react';
import { formatNumber } from '../format/format';
import { BOX_HEIGHT, BOX_WIDTH, layoutFlow } from './layout-flow';

/**
 * The observed transitions of one graph as a small flow: boxes in step order, arrows with the
 * number of transitions in the last 60 s. The same edges are listed as text for screen readers.
 */
export function FlowDiagram({
  graph,
  nodes,
  edges,
  edgesKnown,
  flagged,
}: {
  graph: string;
  nodes: readonly NodeView[];
  edges: readonly EdgeView[];
  /** False while the collector does not report transitions (an older version). */
  edgesKnown: boolean;
  /** Nodes with a loop or fan-out badge: drawn with a heavier outline and a text mark. */
  flagged: ReadonlyMap<string, string>;
}) {
  const id = useId();
  const layout = layoutFlow(
    nodes.map((node) => node.node),
    edges,
  );
  const rates = new Map(nodes.map((node) => [node.node, node.executionsPerSecond]));
  return (
    <figure className="flow" data-testid="flow" data-graph={graph}>
      <svg
        role="img"
        aria-labelledby={`${id}-title`}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        height={layout.height}
      >
        <title id={`${id}-title`}>
          {`Transitions between the nodes of ${graph} in the last 60 s`}
        </title>
        <defs>
          <marker
            id={`${id}-arrow`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className="flow-arrowhead" />
          </marker>
        </defs>
        {layout.arrows.map((arrow) => (
          <g key={`${arrow.from}->${arrow.to}`} className="flow-edge">
            <path d={arrow.path} markerEnd={`url(#${id}-arrow)`} />
            <text x={arrow.labelX} y={arrow.labelY} textAnchor="middle">
              {formatNumber(arrow.count)}
            </text>
          </g>
        ))}
        {layout.boxes.map((box) => {
          const flag = flagged.get(box.name);
          const rate = rates.get(box.name);
          return (
            <g
              key={box.name}
              className={`flow-node${flag === undefined ? '' : ' flow-node-flagged'}`}
            >
              <rect x={box.x} y={box.y} width={BOX_WIDTH} height={BOX_HEIGHT} rx="6" />
              <text x={box.x + BOX_WIDTH / 2} y={box.y + 18} textAnchor="middle">
                {truncate(box.name, 20)}
              </text>
              <text
                x={box.x + BOX_WIDTH / 2}
                y={box.y + 34}
                textAnchor="middle"
                className="flow-node-detail"
              >
                {[rate === undefined ? undefined : `${formatNumber(rate)}/s`, flag]
                  .filter(Boolean)
                  .join(' · ')}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {!edgesKnown ? (
          'This collector does not report transitions between nodes: the nodes are shown unordered.'
        ) : edges.length === 0 ? (
          'No transitions observed in the last 60 s.'
        ) : (
          <ul className="flow-edges" aria-label={`Transitions in ${graph}`}>
            {edges.map((edge) => (
              <li
                key={`${edge.from}->${edge.to}`}
                data-testid="flow-edge"
                data-from={edge.from}
                data-to={edge.to}
                data-value={edge.count}
              >
                {edge.from} → {edge.to}: {formatNumber(edge.count)}
              </li>
            ))}
          </ul>
        )}
      </figcaption>
    </figure>
  );
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
