import type { EdgeView } from '@headroom/contract';
import {
  ATTR_HEADROOM_GRAPH_NAME,
  ATTR_HEADROOM_GRAPH_NODE,
  ATTR_HEADROOM_GRAPH_STEP,
} from '@headroom/contract';
import type { Span } from '../otlp/types.js';
import { DroppedIds } from './dropped-ids.js';
import { RecencyTable } from './recency-table.js';
import { SecondRing } from './second-ring.js';

export type { EdgeView } from '@headroom/contract';

/** Seconds of transitions an edge holds: more than the window the snapshot reads. */
const EDGE_SECONDS = 120;

/** Runs whose node spans are remembered, most recent first out: bounded memory. */
const MAX_RUNS = 10_000;

interface Edge {
  graph: string;
  from: string;
  to: string;
  ring: SecondRing;
  lastSeen: number;
}

interface Run {
  graph: string;
  /** Nodes seen at each superstep of the run. */
  steps: Map<number, Set<string>>;
}

/**
 * The flow of a graph as observed: node spans carry their superstep, and every node of step s
 * leads to the nodes of step s + 1 of the same run (trace). A run's spans arrive over several
 * exports, so each run is remembered (a bounded number of them) and each edge is counted once,
 * when its second end arrives.
 */
export class EdgeTracker {
  readonly #runs = new Map<string, Run>();
  /**
   * Cap: `maxEdges`. An edge silent for longer than its ring's span reads zero everywhere, so it
   * makes room for a new one when the table is full and the prune evicts it; when none can, the
   * new edge is dropped and counted.
   */
  readonly #edges: RecencyTable<Edge>;
  readonly #dropped = new DroppedIds();

  constructor({ maxEdges = 10_000 }: { maxEdges?: number } = {}) {
    this.#edges = new RecencyTable(maxEdges, EDGE_SECONDS);
  }

  get size(): number {
    return this.#edges.size;
  }

  /** Distinct edges refused because the table was full. */
  get dropped(): number {
    return this.#dropped.count;
  }

  /** Forgets the edges with no transition in their ring's span. */
  prune(second: number): void {
    this.#edges.prune(second - EDGE_SECONDS + 1);
  }

  add(span: Span, second: number): void {
    const graph = span.attributes[ATTR_HEADROOM_GRAPH_NAME];
    const node = span.attributes[ATTR_HEADROOM_GRAPH_NODE];
    const step = span.attributes[ATTR_HEADROOM_GRAPH_STEP];
    if (typeof graph !== 'string' || typeof node !== 'string' || typeof step !== 'number') return;
    if (!span.name.startsWith('node ')) return;
    let run = this.#runs.get(span.traceId);
    if (run === undefined) {
      run = { graph, steps: new Map() };
      this.#runs.set(span.traceId, run);
      if (this.#runs.size > MAX_RUNS) this.#runs.delete(this.#runs.keys().next().value!);
    }
    let nodes = run.steps.get(step);
    if (nodes === undefined) {
      nodes = new Set();
      run.steps.set(step, nodes);
    }
    if (nodes.has(node)) return;
    nodes.add(node);
    for (const before of run.steps.get(step - 1) ?? []) this.#count(graph, before, node, second);
    for (const after of run.steps.get(step + 1) ?? []) this.#count(graph, node, after, second);
  }

  #count(graph: string, from: string, to: string, second: number): void {
    const id = `${graph}\u0000${from}\u0000${to}`;
    const edge = this.#edges.take(id, second, () => ({
      graph,
      from,
      to,
      ring: new SecondRing(EDGE_SECONDS),
      lastSeen: second,
    }));
    if (edge === undefined) this.#dropped.add(id);
    else edge.ring.add(second, 1);
  }

  /** Edges with transitions in the `seconds` ending at `second`. */
  edges(second: number, seconds: number): EdgeView[] {
    const result: EdgeView[] = [];
    for (const { graph, from, to, ring } of this.#edges.values()) {
      const count = ring.sum(second, seconds);
      if (count > 0) result.push({ graph, from, to, count });
    }
    return result.sort(
      (a, b) =>
        a.graph.localeCompare(b.graph) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
    );
  }
}
