import type { KeyField, NodeField, SeriesBuffers } from '../live/series-buffers';

/** uPlot's columnar data: x, then one array per series, all of one length. */
export type Columns = [number[], ...Array<Array<number | null>>];

/**
 * The arrays one chart hands to uPlot's `setData`, allocated once per range and series count
 * and refilled in place on every paint.
 */
export class ChartColumns {
  xs: number[] = [];
  ys: Array<Array<number | null>> = [];
  columns: Columns = [this.xs];

  /** The columns for `series` series over `length` seconds, reallocated only if those changed. */
  ensure(length: number, series: number): this {
    if (length !== this.xs.length || series !== this.ys.length) {
      this.xs = new Array<number>(length).fill(0);
      this.ys = Array.from({ length: series }, () => new Array<number | null>(length).fill(null));
      this.columns = [this.xs, ...this.ys];
    }
    return this;
  }

  #spare: Array<number | null> = [];

  /** One more column of `length` for working values, reused from paint to paint. */
  spare(length: number): Array<number | null> {
    if (this.#spare.length !== length) this.#spare = new Array<number | null>(length).fill(null);
    return this.#spare;
  }
}

/**
 * One key's fields over the range, plus the ceiling as a flat line (when the key has one). The
 * values are the collector's, as stored.
 */
export function fillKeyColumns(
  buffers: SeriesBuffers,
  keyId: string | undefined,
  fields: readonly KeyField[],
  ceiling: number | undefined,
  out: ChartColumns,
): Columns {
  const { xs, ys, columns } = out.ensure(
    buffers.capacity,
    fields.length + (ceiling === undefined ? 0 : 1),
  );
  buffers.readSeconds(xs);
  const series = keyId === undefined ? undefined : buffers.keys.get(keyId);
  for (let index = 0; index < fields.length; index++) {
    const column = ys[index]!;
    if (series === undefined) column.fill(null);
    else buffers.read(series.columns[fields[index]!], column);
  }
  if (ceiling !== undefined) ys[fields.length]!.fill(ceiling);
  return columns;
}

/**
 * One field of several series (nodes, or keys when no graph node was seen), stacked for drawing:
 * the chart paints the tallest first and each lower one over it, so column `k` holds the top edge
 * of series `k`, its own value plus those of every series after it. `raw` keeps each series' own
 * values, for the legend. Null where no series has a value that second.
 *
 * Stacked by key, a key a guard is on counts its calls at the provider (`activeAtProvider`), not
 * `field`: those waiting in the guard are not in flight at the provider. `waiting` names the keys
 * whose `guardWaiting` follows the stack, one column each, unstacked.
 */
export function fillStackedColumns(
  buffers: SeriesBuffers,
  kind: 'keys' | 'nodes',
  ids: readonly string[],
  field: KeyField & NodeField,
  out: ChartColumns,
  raw: ChartColumns,
  /**
   * Nodes only: one more series at the bottom, the keys' calls no node accounts for (plain client
   * calls outside any graph), so a fan-out beside a graph is not dropped from the chart.
   */
  outsideNodes = false,
  waiting: readonly string[] = [],
): Columns {
  const count = ids.length + (outsideNodes ? 1 : 0);
  const length = buffers.capacity;
  const { xs, ys, columns } = out.ensure(length, count + waiting.length);
  const own = raw.ensure(length, count).ys;
  buffers.readSeconds(xs);
  for (let index = 0; index < ids.length; index++) {
    const column = own[index]!;
    if (kind === 'keys') {
      const series = buffers.keys.get(ids[index]!);
      if (series === undefined) column.fill(null);
      else buffers.read(series.columns[series.guarded ? 'activeAtProvider' : field], column);
    } else {
      const series = buffers.nodes.get(ids[index]!);
      if (series === undefined) column.fill(null);
      else buffers.read(series.columns[field], column);
    }
  }
  if (outsideNodes) {
    const outside = own[ids.length]!;
    outside.fill(null);
    const scratch = raw.spare(length);
    for (const series of buffers.keys.values()) {
      buffers.read(series.columns[field], scratch);
      for (let second = 0; second < length; second++) {
        const value = scratch[second];
        if (value !== null && value !== undefined) outside[second] = (outside[second] ?? 0) + value;
      }
    }
    for (let second = 0; second < length; second++) {
      const keysTotal = outside[second];
      if (keysTotal === null || keysTotal === undefined) continue;
      let inNodes = 0;
      for (let index = 0; index < ids.length; index++) inNodes += own[index]![second] ?? 0;
      outside[second] = Math.max(0, keysTotal - inNodes);
    }
  }
  // The last id is the bottom of the stack, the first id its top.
  for (let second = 0; second < length; second++) {
    let total: number | null = null;
    for (let index = count - 1; index >= 0; index--) {
      const value = own[index]![second]!;
      if (value !== null) total = (total ?? 0) + value;
      ys[index]![second] = total;
    }
  }
  // The waiting lines are drawn as they are: their data and their legend are the same column.
  for (let index = 0; index < waiting.length; index++) {
    const series = buffers.keys.get(waiting[index]!);
    const column = ys[count + index]!;
    if (series === undefined) column.fill(null);
    else buffers.read(series.columns.guardWaiting, column);
  }
  return columns;
}
