/** Seconds of history kept per series: one hour at 1 s resolution. */
export const HISTORY_SECONDS = 3600;

/**
 * Seconds per chunk. A dense hour cost 28 KiB per ring whether or not the series ever saw
 * traffic; a chunk is allocated on the first write into its 16 seconds, so a series that sent a
 * few exports holds one or two, and a 60 s sum reads four or five.
 */
export const CHUNK_SECONDS = 16;

/** A chunk in the ring's one array: its first second, then its CHUNK_SECONDS values. */
const STRIDE = CHUNK_SECONDS + 1;

/** What a ring holds before its first write: shared, because an empty ring's array is never written. */
const NO_CHUNKS: number[] = [];

/**
 * One value per second for the last `size` seconds (an hour by default). Seconds are held in
 * chunks allocated on first write and dropped once time has passed over all of their seconds,
 * so memory follows the traffic, not the span. Seconds never written, and seconds time passed
 * over, read as zero. Sums read chunk by chunk, oldest second first, so results are exactly those
 * of one slot per second.
 */
export class SecondRing {
  readonly #size: number;
  /**
   * The chunks, oldest first, laid end to end in one plain array (STRIDE numbers each, aligned
   * on a multiple of CHUNK_SECONDS): one allocation per ring, where an array of chunk objects or
   * of small Float64Arrays cost two to three times the values themselves.
   */
  #data: number[] = NO_CHUNKS;
  /** The newest second written or moved to; the ring spans (#latest - #size, #latest]. */
  #latest = Number.NEGATIVE_INFINITY;

  constructor(size = HISTORY_SECONDS) {
    this.#size = size;
  }

  /** Chunks held (for tests and the memory budget). */
  get chunks(): number {
    return this.#data.length / STRIDE;
  }

  /** Moves the ring to `second`, dropping the chunks time has passed over. */
  advance(second: number): void {
    if (second <= this.#latest) return;
    this.#latest = second;
    const oldest = second - this.#size + 1;
    let expired = 0;
    while (expired < this.#data.length && this.#data[expired]! + CHUNK_SECONDS <= oldest)
      expired += STRIDE;
    if (expired > 0) this.#data = this.#data.slice(expired);
  }

  add(second: number, value: number): void {
    this.advance(second);
    if (second <= this.#latest - this.#size) return;
    const offset = this.#chunk(second);
    this.#data[offset + 1 + second - this.#data[offset]!]! += value;
  }

  /** Keeps the larger of the slot's value and `value` (for peaks). */
  max(second: number, value: number): void {
    this.advance(second);
    if (second <= this.#latest - this.#size) return;
    const offset = this.#chunk(second);
    const slot = offset + 1 + second - this.#data[offset]!;
    if (value > this.#data[slot]!) this.#data[slot] = value;
  }

  get(second: number): number {
    if (second > this.#latest || second <= this.#latest - this.#size) return 0;
    const start = Math.floor(second / CHUNK_SECONDS) * CHUNK_SECONDS;
    for (let offset = this.#data.length - STRIDE; offset >= 0; offset -= STRIDE) {
      const chunkStart = this.#data[offset]!;
      if (chunkStart === start) return this.#data[offset + 1 + second - start]!;
      if (chunkStart < start) return 0;
    }
    return 0;
  }

  /** Sum of the `seconds` seconds ending at `second` (inclusive), oldest second first. */
  sum(second: number, seconds: number): number {
    const [from, to, first] = this.#range(second, seconds);
    const data = this.#data;
    let total = 0;
    for (let offset = first; offset < data.length && data[offset]! <= to; offset += STRIDE) {
      const start = data[offset]!;
      const last = Math.min(to, start + CHUNK_SECONDS - 1);
      for (let at = Math.max(from, start); at <= last; at++)
        total += data[offset + 1 + at - start]!;
    }
    return total;
  }

  /** Largest value among the `seconds` seconds ending at `second`. */
  peak(second: number, seconds: number): number {
    const [from, to, first] = this.#range(second, seconds);
    const data = this.#data;
    let peak = 0;
    for (let offset = first; offset < data.length && data[offset]! <= to; offset += STRIDE) {
      const start = data[offset]!;
      const last = Math.min(to, start + CHUNK_SECONDS - 1);
      for (let at = Math.max(from, start); at <= last; at++) {
        const value = data[offset + 1 + at - start]!;
        if (value > peak) peak = value;
      }
    }
    return peak;
  }

  /** The values of `seconds` seconds ending at `second`, oldest first (for charts). */
  slice(second: number, seconds: number): number[] {
    const values = new Array<number>(seconds).fill(0);
    const [from, to, first] = this.#range(second, seconds);
    const data = this.#data;
    const origin = second - seconds + 1;
    for (let offset = first; offset < data.length && data[offset]! <= to; offset += STRIDE) {
      const start = data[offset]!;
      const last = Math.min(to, start + CHUNK_SECONDS - 1);
      for (let at = Math.max(from, start); at <= last; at++)
        values[at - origin] = data[offset + 1 + at - start]!;
    }
    return values;
  }

  /**
   * The seconds of the `seconds` ending at `second` that the ring spans, and the offset of the
   * first chunk that may hold any of them (the array's length when none can). Seconds outside
   * the chunks read zero, so sums and peaks skip them unchanged.
   */
  #range(second: number, seconds: number): [from: number, to: number, offset: number] {
    const from = Math.max(second - seconds + 1, this.#latest - this.#size + 1);
    const to = Math.min(second, this.#latest);
    const data = this.#data;
    if (from > to) return [from, to, data.length];
    let offset = data.length;
    while (offset > 0 && data[offset - STRIDE]! + CHUNK_SECONDS > from) offset -= STRIDE;
    return [from, to, offset];
  }

  /**
   * The offset of the chunk that holds `second`, made (zeros) if there is none. Writes are
   * nearly always to the newest chunk, so the search runs from the end; a new chunk copies the
   * array once per 16 seconds at most, which keeps it exactly as long as its chunks.
   */
  #chunk(second: number): number {
    const start = Math.floor(second / CHUNK_SECONDS) * CHUNK_SECONDS;
    const data = this.#data;
    let offset = data.length;
    while (offset > 0 && data[offset - STRIDE]! > start) offset -= STRIDE;
    if (offset > 0 && data[offset - STRIDE] === start) return offset - STRIDE;
    const grown = new Array<number>(data.length + STRIDE);
    for (let index = 0; index < offset; index++) grown[index] = data[index]!;
    grown[offset] = start;
    for (let index = 1; index < STRIDE; index++) grown[offset + index] = 0;
    for (let index = offset; index < data.length; index++) grown[index + STRIDE] = data[index]!;
    this.#data = grown;
    return offset;
  }
}
