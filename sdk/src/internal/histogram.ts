/** Anything a value can be recorded into: our own aggregation, or an OTel histogram bound to attributes. */
export interface Recorder {
  record(value: number): void;
}

/**
 * An explicit-bucket histogram kept as plain numbers, so recording costs a few comparisons and no
 * attribute hashing. Exported by `HeadroomMetricProducer`. Besides the cumulative state it keeps a
 * min and max per reader slot, because a delta reader needs the extremes of its own interval.
 */
export class BucketHistogram implements Recorder {
  readonly counts: number[];
  sum = 0;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly intervalMin: number[];
  readonly intervalMax: number[];

  constructor(
    readonly boundaries: readonly number[],
    slots: number,
  ) {
    this.counts = new Array(boundaries.length + 1).fill(0);
    this.intervalMin = new Array(slots).fill(Number.POSITIVE_INFINITY);
    this.intervalMax = new Array(slots).fill(Number.NEGATIVE_INFINITY);
  }

  record(value: number): void {
    if (!(value >= 0) || value === Number.POSITIVE_INFINITY) return;
    const boundaries = this.boundaries;
    let index = 0;
    while (index < boundaries.length && value > boundaries[index]!) index++;
    this.counts[index]!++;
    this.sum += value;
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    for (let slot = 0; slot < this.intervalMin.length; slot++) {
      if (value < this.intervalMin[slot]!) this.intervalMin[slot] = value;
      if (value > this.intervalMax[slot]!) this.intervalMax[slot] = value;
    }
  }
}

/**
 * The in-flight count of a series with its high-water mark per reader slot: a burst of 20 calls
 * that starts and ends between two exports still shows as a peak of 20.
 */
export class ActiveGauge {
  value = 0;
  readonly peaks: number[];

  constructor(slots: number) {
    this.peaks = new Array(slots).fill(0);
  }

  increment(): void {
    const value = ++this.value;
    const peaks = this.peaks;
    for (let slot = 0; slot < peaks.length; slot++) if (value > peaks[slot]!) peaks[slot] = value;
  }

  decrement(): void {
    this.value--;
  }

  /** The peak since the slot's last read; the next interval starts from the value now. */
  takePeak(slot: number): number {
    const peak = this.peaks[slot]!;
    this.peaks[slot] = this.value;
    return peak;
  }
}
