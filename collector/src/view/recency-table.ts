/** What a table holds: anything that knows the last second it was seen. */
export interface Seen {
  lastSeen: number;
}

/**
 * Entries by id, least recently seen first, with a cap: the state of one kind that grows with
 * the data (series, nodes, replicas, edges). When the table is full, the least recently seen
 * entry makes room if it has been silent for more than `makeRoomAfterSeconds`; otherwise the new
 * entry is refused and the caller counts it as dropped. `prune` evicts entries idle too long.
 * An entry moves to the back only when the second it was seen changes, so staying in order
 * costs one delete and one insert per entry per second, not per data point.
 */
export class RecencyTable<T extends Seen> {
  /** Insertion order is recency order: the first entry is the least recently seen. */
  readonly #entries = new Map<string, T>();

  constructor(
    readonly cap: number,
    readonly makeRoomAfterSeconds: number,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get(id: string): T | undefined {
    return this.#entries.get(id);
  }

  values(): IterableIterator<T> {
    return this.#entries.values();
  }

  entries(): IterableIterator<[string, T]> {
    return this.#entries.entries();
  }

  /** Whether `take(id, second)` would hold the entry: it is here, or there is room for it. */
  admits(id: string, second: number): boolean {
    return this.#entries.has(id) || this.#entries.size < this.cap || this.#evictable(second);
  }

  /**
   * The entry, marked seen at `second`; made with `create` if there is room. Undefined when the
   * table is full and its least recently seen entry is still recent: the new one is dropped.
   */
  take(id: string, second: number, create: () => T): T | undefined {
    let entry = this.#entries.get(id);
    if (entry !== undefined) {
      if (entry.lastSeen < second) {
        entry.lastSeen = second;
        this.#entries.delete(id);
        this.#entries.set(id, entry);
      }
      return entry;
    }
    if (this.#entries.size >= this.cap) {
      if (!this.#evictable(second)) return undefined;
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    entry = create();
    entry.lastSeen = second;
    this.#entries.set(id, entry);
    return entry;
  }

  /** Evicts the entries last seen before `before`; O(entries). Returns how many went. */
  prune(before: number): number {
    let evicted = 0;
    for (const [id, entry] of this.#entries) {
      if (entry.lastSeen < before) {
        this.#entries.delete(id);
        evicted++;
      }
    }
    return evicted;
  }

  #evictable(second: number): boolean {
    const oldest = this.#entries.values().next().value;
    return oldest !== undefined && oldest.lastSeen < second - this.makeRoomAfterSeconds;
  }
}
