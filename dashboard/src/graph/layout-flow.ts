import type { EdgeView } from '@headroom/contract/wire';

export interface FlowBox {
  name: string;
  /** Step: BFS distance from the graph's start. */
  layer: number;
  row: number;
  x: number;
  y: number;
}

export interface FlowArrow {
  from: string;
  to: string;
  count: number;
  /** SVG path from one box to the other. */
  path: string;
  labelX: number;
  labelY: number;
}

export interface FlowLayout {
  boxes: FlowBox[];
  arrows: FlowArrow[];
  width: number;
  height: number;
}

export const BOX_WIDTH = 150;
export const BOX_HEIGHT = 44;
const COLUMN_GAP = 70;
const ROW_GAP = 36;
const MARGIN = 28;

/**
 * Boxes in step order: a column per step (breadth-first from `__start__`, or from the nodes
 * nothing leads to), nodes never reached last. Forward arrows go right; arrows back (loops) and
 * within a column curve below, self-loops above.
 */
export function layoutFlow(nodeNames: readonly string[], edges: readonly EdgeView[]): FlowLayout {
  const names: string[] = [];
  const seen = new Set<string>();
  const add = (name: string) => {
    if (!seen.has(name)) {
      seen.add(name);
      names.push(name);
    }
  };
  for (const edge of edges) {
    add(edge.from);
    add(edge.to);
  }
  for (const name of nodeNames) add(name);

  const next = new Map<string, string[]>();
  const incoming = new Map<string, number>();
  for (const edge of edges) {
    if (edge.from === edge.to) continue;
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
    incoming.set(edge.to, (incoming.get(edge.to) ?? 0) + 1);
  }
  const starts = seen.has('__start__')
    ? ['__start__']
    : names.filter((name) => (incoming.get(name) ?? 0) === 0 && next.has(name));
  const layer = new Map<string, number>();
  const queue = [...starts];
  for (const start of starts) layer.set(start, 0);
  while (queue.length > 0) {
    const name = queue.shift()!;
    for (const target of next.get(name) ?? []) {
      if (layer.has(target)) continue;
      layer.set(target, layer.get(name)! + 1);
      queue.push(target);
    }
  }
  let last = Math.max(-1, ...layer.values());
  for (const name of names) if (!layer.has(name)) layer.set(name, ++last);

  const rows = new Map<number, number>();
  const boxes: FlowBox[] = names
    .map((name) => ({ name, layer: layer.get(name)! }))
    .sort((a, b) => a.layer - b.layer)
    .map(({ name, layer: column }) => {
      const row = rows.get(column) ?? 0;
      rows.set(column, row + 1);
      return {
        name,
        layer: column,
        row,
        x: MARGIN + column * (BOX_WIDTH + COLUMN_GAP),
        y: MARGIN + row * (BOX_HEIGHT + ROW_GAP),
      };
    });
  const byName = new Map(boxes.map((box) => [box.name, box]));
  const columns = Math.max(0, ...boxes.map((box) => box.layer + 1));
  const maxRows = Math.max(1, ...rows.values());
  const width = MARGIN * 2 + columns * BOX_WIDTH + Math.max(0, columns - 1) * COLUMN_GAP;
  const height = MARGIN * 2 + maxRows * BOX_HEIGHT + (maxRows - 1) * ROW_GAP + 24;

  const arrows = edges.map((edge): FlowArrow => {
    const from = byName.get(edge.from)!;
    const to = byName.get(edge.to)!;
    if (from === to) {
      const left = from.x + BOX_WIDTH * 0.35;
      const right = from.x + BOX_WIDTH * 0.65;
      return {
        ...edgeFields(edge),
        path: `M ${left} ${from.y} C ${left} ${from.y - 26}, ${right} ${from.y - 26}, ${right} ${from.y}`,
        labelX: from.x + BOX_WIDTH / 2,
        labelY: from.y - 22,
      };
    }
    if (to.layer > from.layer) {
      const x1 = from.x + BOX_WIDTH;
      const y1 = from.y + BOX_HEIGHT / 2;
      const x2 = to.x;
      const y2 = to.y + BOX_HEIGHT / 2;
      const bend = (x2 - x1) / 2;
      return {
        ...edgeFields(edge),
        path: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`,
        labelX: (x1 + x2) / 2,
        labelY: (y1 + y2) / 2 - 6,
      };
    }
    // Back to an earlier step (a loop) or sideways within one: under the boxes.
    const x1 = from.x + BOX_WIDTH / 2;
    const y1 = from.y + BOX_HEIGHT;
    const x2 = to.x + BOX_WIDTH / 2 + (to.x === from.x ? 12 : 0);
    const y2 = to.y + BOX_HEIGHT;
    const depth = 26 + Math.abs(from.layer - to.layer) * 4;
    const bottom = Math.max(y1, y2) + depth;
    return {
      ...edgeFields(edge),
      path: `M ${x1} ${y1} C ${x1} ${bottom}, ${x2} ${bottom}, ${x2} ${y2}`,
      labelX: (x1 + x2) / 2,
      labelY: bottom - 4,
    };
  });
  return {
    boxes,
    arrows,
    width,
    height: Math.max(height, ...arrows.map((arrow) => arrow.labelY + 14)),
  };
}

function edgeFields(edge: EdgeView): Pick<FlowArrow, 'from' | 'to' | 'count'> {
  return { from: edge.from, to: edge.to, count: edge.count };
}
