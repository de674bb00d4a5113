import type { History } from '@headroom/contract/wire';

export const KEY_FIELDS = [
  'requestsPerMinute',
  'tokensPerMinute',
  'rateLimitedPerMinute',
  'retriesPerMinute',
  'peakActiveCalls',
  'guardWaiting',
  'activeAtProvider',
] as const;
export const NODE_FIELDS = ['executionsPerSecond', 'peakActiveCalls'] as const;

export type KeyField = (typeof KEY_FIELDS)[number];
export type NodeField = (typeof NODE_FIELDS)[number];

/** One series' columns: one slot per second of the ring, NaN where the second has no value. */
export interface SeriesColumns<F extends string> {
  /** `key|provider|model` or `graph|node`, as the collector names it. */
  id: string;
  labels: Readonly<Record<string, string>>;
  columns: Record<F, Float64Array>;
  /** The last second this series had a value: series silent for a whole range are dropped. */
  lastSecond: number;
  /** A guard is on the key: the collector sends its `guardWaiting` and `activeAtProvider`. */
  guarded: boolean;
}

/**
 * Per-series ring buffers of the last `capacity` points, `step` seconds apart (1, or 60 for the
 * minute ranges), upserted by second. The slot of a second is `second / step % capacity`, so an
 * upsert is a write and trimming to the range is implicit: a slot holds a second only while
 * `slotSecond[slot]` says so. Live frames repeat the previous frame's last second with its final
 * value; writing it again replaces it. Nothing here sums, averages or resamples: the collector's
 * columns are stored as they came.
 */
export class SeriesBuffers {
  /** Points in the range (slots per column). */
  readonly capacity: number;
  /** Seconds from one point to the next. */
  readonly step: number;
  /** The newest second held; -Infinity before any. */
  latest = Number.NEGATIVE_INFINITY;
  readonly keys = new Map<string, SeriesColumns<KeyField>>();
  readonly nodes = new Map<string, SeriesColumns<NodeField>>();
  /** Which second each slot holds now (-1: none). */
  readonly #slotSecond: Float64Array;
  /** Bumped when the set of series changes, so charts know to rebuild their options. */
  shape = 0;

  constructor(capacity: number, step = 1) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`Expected \`capacity\` to be an integer from 1 up, got ${capacity}`);
    if (!Number.isInteger(step) || step < 1)
      throw new RangeError(`Expected \`step\` to be an integer from 1 up, got ${step}`);
    this.capacity = capacity;
    this.step = step;
    this.#slotSecond = new Float64Array(capacity).fill(-1);
  }

  /** Ids of the series of one kind, sorted; the same array until the set of series changes. */
  ids(kind: 'keys' | 'nodes'): readonly string[] {
    const cached = this.#ids[kind];
    if (cached.shape === this.shape) return cached.ids;
    const ids = [...this[kind].keys()].sort();
    this.#ids[kind] = { shape: this.shape, ids };
    return ids;
  }

  #ids: Record<'keys' | 'nodes', { shape: number; ids: readonly string[] }> = {
    keys: { shape: -1, ids: [] },
    nodes: { shape: -1, ids: [] },
  };

  /** The first second of the window the buffers cover now. */
  get start(): number {
    return this.latest - (this.capacity - 1) * this.step;
  }

  #slot(second: number): number {
    return Math.floor(second / this.step) % this.capacity;
  }

  upsert(history: History): void {
    const { seconds } = history;
    const count = seconds.length;
    if (count === 0) return;
    const newest = seconds[count - 1]!;
    if (newest > this.latest) this.latest = newest;
    const oldest = this.start;
    const keyIds = Object.keys(history.keys);
    const nodeIds = Object.keys(history.nodes);
    for (const id of keyIds) {
      this.#ensure(this.keys, id, history.keys[id]!, KEY_FIELDS);
      const series = this.keys.get(id)!;
      if (!series.guarded && history.keys[id]!.guardWaiting !== undefined) {
        series.guarded = true;
        this.shape++;
      }
    }
    for (const id of nodeIds) this.#ensure(this.nodes, id, history.nodes[id]!, NODE_FIELDS);
    for (let index = 0; index < count; index++) {
      const second = seconds[index]!;
      if (second < oldest) continue;
      const slot = this.#slot(second);
      if (this.#slotSecond[slot] !== second) {
        // A second the ring has not held: whatever the slot had is older than the window.
        this.#slotSecond[slot] = second;
        clearSlot(this.keys, slot, KEY_FIELDS);
        clearSlot(this.nodes, slot, NODE_FIELDS);
      }
      for (const id of keyIds) {
        const series = this.keys.get(id)!;
        const values = history.keys[id]!;
        for (let field = 0; field < KEY_FIELDS.length; field++) {
          const name = KEY_FIELDS[field]!;
          series.columns[name][slot] = values[name]?.[index] ?? Number.NaN;
        }
        if (second > series.lastSecond) series.lastSecond = second;
      }
      for (const id of nodeIds) {
        const series = this.nodes.get(id)!;
        const values = history.nodes[id]!;
        for (let field = 0; field < NODE_FIELDS.length; field++) {
          const name = NODE_FIELDS[field]!;
          series.columns[name][slot] = values[name][index] ?? Number.NaN;
        }
        if (second > series.lastSecond) series.lastSecond = second;
      }
    }
    this.#drop(this.keys, oldest);
    this.#drop(this.nodes, oldest);
  }

  /** The value of one series at one second, or null when the ring has none. */
  valueAt(column: Float64Array, second: number): number | null {
    if (second < this.start || second > this.latest) return null;
    const slot = this.#slot(second);
    if (this.#slotSecond[slot] !== second) return null;
    const value = column[slot]!;
    return Number.isNaN(value) ? null : value;
  }

  /**
   * Writes the window in time order into `out` (length `capacity`): `out[i]` is the second
   * `start + i * step`, null where there is no value. `out` is reused from paint to paint.
   */
  read(column: Float64Array, out: Array<number | null>): void {
    const { capacity, step } = this;
    const start = this.start;
    const slotSecond = this.#slotSecond;
    for (let index = 0; index < capacity; index++) {
      const second = start + index * step;
      const slot = this.#slot(second);
      const value = column[slot]!;
      out[index] = slotSecond[slot] === second && !Number.isNaN(value) ? value : null;
    }
  }

  /** The x axis: `out[i] = start + i * step`. */
  readSeconds(out: number[] | Float64Array): void {
    const start = this.start;
    for (let index = 0; index < this.capacity; index++) out[index] = start + index * this.step;
  }

  #ensure<F extends string>(
    map: Map<string, SeriesColumns<F>>,
    id: string,
    labels: object,
    fields: readonly F[],
  ): void {
    if (map.has(id)) return;
    const columns = {} as Record<F, Float64Array>;
    for (const field of fields) columns[field] = new Float64Array(this.capacity).fill(Number.NaN);
    const text: Record<string, string> = {};
    for (const [name, value] of Object.entries(labels))
      if (typeof value === 'string') text[name] = value;
    map.set(id, {
      id,
      labels: text,
      columns,
      lastSecond: Number.NEGATIVE_INFINITY,
      guarded: false,
    });
    this.shape++;
  }

  #drop<F extends string>(map: Map<string, SeriesColumns<F>>, oldest: number): void {
    for (const [id, series] of map) {
      if (series.lastSecond < oldest) {
        map.delete(id);
        this.shape++;
      }
    }
  }
}

function clearSlot<F extends string>(
  map: Map<string, SeriesColumns<F>>,
  slot: number,
  fields: readonly F[],
): void {
  for (const series of map.values())
    for (let field = 0; field < fields.length; field++)
      series.columns[fields[field]!][slot] = Number.NaN;
}
