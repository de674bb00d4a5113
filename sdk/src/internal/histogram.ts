/** Anything a value can be recorded into: the histograms of every meter Headroom is bound to. */
export interface Recorder {
  record(value: number): void;
}

/**
 * Meters one Headroom can be bound to at once, each reading its own in-flight peaks: the app's
 * (or NodeSDK's) meter, plus one per extra reader Headroom adds on its own provider (the
 * Prometheus endpoint, an extra exporter). A fifth binding shares the last slot.
 */
export const PEAK_SLOTS = 4;

/**
 * The in-flight count of a series with its high-water mark per meter binding: a burst of 20
 * calls that starts and ends between two exports still shows as a peak of 20.
 */
export class ActiveGauge {
  value = 0;
  readonly peaks = [0, 0, 0, 0];

  increment(): void {
    const value = ++this.value;
    const peaks = this.peaks;
    if (value > peaks[0]!) peaks[0] = value;
    if (value > peaks[1]!) peaks[1] = value;
    if (value > peaks[2]!) peaks[2] = value;
    if (value > peaks[3]!) peaks[3] = value;
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
