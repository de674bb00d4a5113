/** Seconds of history kept per series: one hour at 1 s resolution. */
export const HISTORY_SECONDS = 3600;

/**
 * One value per second for the last hour, in a fixed ring: adding is O(1) and a 60-second sum
 * reads 60 slots. Slots that time passed over without data read as zero.
 */
export class SecondRing {
  readonly #values: Float64Array;
  readonly #size: number;
  /** The newest second written or cleared; older slots hold older seconds. */
  #latest = Number.NEGATIVE_INFINITY;

  constructor(size = HISTORY_SECONDS) {
    this.#size = size;
    this.#values = new Float64Array(size);
  }

  /** Moves the ring to `second`, zeroing the seconds skipped. */
  advance(second: number): void {
    if (second <= this.#latest) return;
    const gap = second - this.#latest;
    if (gap >= this.#size) this.#values.fill(0);
    else for (let s = this.#latest + 1; s <= second; s++) this.#values[s % this.#size] = 0;
    this.#latest = second;
  }

  add(second: number, value: number): void {
    this.advance(second);
    if (second <= this.#latest - this.#size) return;
    this.#values[second % this.#size]! += value;
  }

  /** Keeps the larger of the slot's value and `value` (for peaks). */
  max(second: number, value: number): void {
    this.advance(second);
    if (second <= this.#latest - this.#size) return;
    const slot = second % this.#size;
    if (value > this.#values[slot]!) this.#values[slot] = value;
  }

  get(second: number): number {
    if (second > this.#latest || second <= this.#latest - this.#size) return 0;
    return this.#values[second % this.#size]!;
  }

  /** Sum of the `seconds` seconds ending at `second` (inclusive). */
  sum(second: number, seconds: number): number {
    let total = 0;
    for (let s = second - seconds + 1; s <= second; s++) total += this.get(s);
    return total;
  }

  /** Largest value among the `seconds` seconds ending at `second`. */
  peak(second: number, seconds: number): number {
    let peak = 0;
    for (let s = second - seconds + 1; s <= second; s++) peak = Math.max(peak, this.get(s));
    return peak;
  }

  /** The values of `seconds` seconds ending at `second`, oldest first (for charts). */
  slice(second: number, seconds: number): number[] {
    const values = new Array<number>(seconds);
    for (let index = 0; index < seconds; index++)
      values[index] = this.get(second - seconds + 1 + index);
    return values;
  }
}
