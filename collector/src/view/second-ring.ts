/** Seconds of history kept per series: one hour at 1 s resolution. */
export const HISTORY_SECONDS = 3600;

/**
 * Seconds per chunk. A dense hour cost 28 KiB per ring whether or not the series ever saw
 * traffic; a chunk is allocated on the first write into its 32 seconds, so a series that sent a
 * few exports holds one or two of 256 bytes.
 */
export const CHUNK_SECONDS = 32;

/** 32 seconds of values, aligned on a multiple of CHUNK_SECONDS. */
interface Chunk {
  /** The first second the chunk covers. */
  start: number;
  /** A plain array, not a Float64Array: small typed arrays live off-heap with ~200 bytes of bookkeeping each. */
  values: number[];
}

/**
 * One value per second for the last `size` seconds (an hour by default). Seconds are held in
 * chunks allocated on first write and dropped once time has passed over all of their seconds,
 * so memory follows the traffic, not the span. Seconds never written, and seconds time passed
 * over, read as zero. Sums read chunk by chunk, oldest second first, so results are exactly those
 * of one slot per second.
 */
export class SecondRing {
  readonly #size: number;
  /** Chunks held, by `start`, oldest first. */
  readonly #chunks: Chunk[] = [];
  /** The newest second written or moved to; the ring spans (#latest - #size, #latest]. */
  #latest = Number.NEGATIVE_INFINITY;

  constructor(size = HISTORY_SECONDS) {
    this.#size = size;
  }

  /** Chunks held (for tests and the memory budget). */
  get chunks(): number {
    return this.#chunks.length;
  }

  /** Moves the ring to `second`, dropping the chunks time has passed over. */
  advance(second: number): void {
    if (second <= this.#latest) return;
    this.#latest = second;
    const oldest = second - this.#size + 1;
    let expired = 0;
    while (expired < this.#chunks.length && this.#chunks[expired]!.start + CHUNK_SECONDS <= oldest)
      expired++;
    if (expired > 0) this.#chunks.splice(0, expired);
  }

  add(second: number, value: number): void {
    this.advance(second);
    if (second <= this.#latest - this.#size) return;
    this.#chunk(second).values[second - Math.floor(second / CHUNK_SECONDS) * CHUNK_SECONDS]! +=
      value;
  }

  /** Keeps the larger of the slot's value and `value` (for peaks). */
  max(second: number, value: number): void {
    this.advance(second);
    if (second <= this.#latest - this.#size) return;
    const values = this.#chunk(second).values;
    const slot = second - Math.floor(second / CHUNK_SECONDS) * CHUNK_SECONDS;
    if (value > values[slot]!) values[slot] = value;
  }

  get(second: number): number {
    if (second > this.#latest || second <= this.#latest - this.#size) return 0;
    const start = Math.floor(second / CHUNK_SECONDS) * CHUNK_SECONDS;
    for (let index = this.#chunks.length - 1; index >= 0; index--) {
      const chunk = this.#chunks[index]!;
      if (chunk.start === start) return chunk.values[second - start]!;
      if (chunk.start < start) return 0;
    }
    return 0;
  }

  /** Sum of the `seconds` seconds ending at `second` (inclusive). */
  sum(second: number, seconds: number): number {
    let total = 0;
    this.#each(second, seconds, (value) => {
      total += value;
    });
    return total;
  }

  /** Largest value among the `seconds` seconds ending at `second`. */
  peak(second: number, seconds: number): number {
    let peak = 0;
    this.#each(second, seconds, (value) => {
      if (value > peak) peak = value;
    });
    return peak;
  }

  /** The values of `seconds` seconds ending at `second`, oldest first (for charts). */
  slice(second: number, seconds: number): number[] {
    const values = new Array<number>(seconds).fill(0);
    const first = second - seconds + 1;
    this.#each(second, seconds, (value, at) => {
      values[at - first] = value;
    });
    return values;
  }

  /**
   * Calls `visit` with each held second of the `seconds` ending at `second`, oldest first; the
   * seconds it skips read zero, so sums and peaks over them are unchanged.
   */
  #each(second: number, seconds: number, visit: (value: number, second: number) => void): void {
    const from = Math.max(second - seconds + 1, this.#latest - this.#size + 1);
    const to = Math.min(second, this.#latest);
    if (from > to) return;
    let index = this.#chunks.length;
    while (index > 0 && this.#chunks[index - 1]!.start + CHUNK_SECONDS > from) index--;
    for (; index < this.#chunks.length; index++) {
      const { start, values } = this.#chunks[index]!;
      if (start > to) return;
      const last = Math.min(to, start + CHUNK_SECONDS - 1);
      for (let at = Math.max(from, start); at <= last; at++) visit(values[at - start]!, at);
    }
  }

  /** The chunk that holds `second`, made (zeros) if there is none: writes are nearly always to the newest. */
  #chunk(second: number): Chunk {
    const start = Math.floor(second / CHUNK_SECONDS) * CHUNK_SECONDS;
    let index = this.#chunks.length;
    while (index > 0 && this.#chunks[index - 1]!.start > start) index--;
    const before = this.#chunks[index - 1];
    if (before !== undefined && before.start === start) return before;
    const chunk: Chunk = { start, values: new Array<number>(CHUNK_SECONDS).fill(0) };
    this.#chunks.splice(index, 0, chunk);
    return chunk;
  }
}
