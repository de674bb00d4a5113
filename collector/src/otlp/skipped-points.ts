import type { Rejected } from './types.js';

/**
 * Data points of the metric types the collector does not aggregate, counted while decoding so
 * the reply can say how many were dropped instead of failing the whole export.
 */
export class SkippedPoints {
  exponentialHistogram = 0;
  summary = 0;

  rejected(): Rejected | undefined {
    const count = this.exponentialHistogram + this.summary;
    if (count === 0) return undefined;
    const kinds: string[] = [];
    if (this.exponentialHistogram > 0) kinds.push('exponential histograms');
    if (this.summary > 0) kinds.push('summaries');
    return {
      count,
      message: `${kinds.join(' and ')} are not supported: ${count} data points skipped`,
    };
  }
}
