import type { Dimension, Rule } from '../../storage/types.js';
import { type KeyView, TREND_SECONDS } from '../../view/snapshot.js';
import { dimensionSeries } from '../series-id.js';
import { CLEAR_AFTER_SECONDS, type Measurement } from './measurement.js';

/** Look-ahead when a predictive rule sets no `withinSeconds`. */
export const DEFAULT_WITHIN_SECONDS = 120;

/**
 * Seconds to the ceiling are reported as at most an hour, and as an hour when use is flat or
 * falling: the value stays a finite number through JSON, SQLite and Slack.
 */
export const HORIZON_SECONDS = 3600;

const DIMENSIONS: Array<Extract<Dimension, 'rpm' | 'tpm'>> = ['rpm', 'tpm'];

/**
 * Seconds until use reaches the ceiling at the slope of the last 15 s. Lower is worse: the
 * condition is seconds ≤ within; it clears past within × (1 + margin), or when use stops rising.
 * Use already at or above the ceiling reads as 0 s and is no prediction any more: the condition
 * is false and the alert clears, since the utilization rules say it (a predictive alert firing
 * beside "ceiling reached" only repeated it).
 */
export function measurePredictive(rule: Rule, key: KeyView): Measurement[] {
  const within = rule.withinSeconds ?? DEFAULT_WITHIN_SECONDS;
  const measurements: Measurement[] = [];
  for (const dimension of DIMENSIONS) {
    const ceiling = key.ceilings[dimension]?.value;
    if (ceiling === undefined) continue;
    const use = dimension === 'rpm' ? key.requestsPerMinute : key.tokensPerMinute;
    const before = dimension === 'rpm' ? key.requestsPerMinuteBefore : key.tokensPerMinuteBefore;
    const slope = (use - before) / TREND_SECONDS;
    const seconds = secondsToCeiling(use, ceiling, slope);
    measurements.push({
      series: dimensionSeries(key, dimension),
      value: seconds,
      threshold: within,
      condition: use < ceiling && slope > 0 && seconds <= within,
      cleared: use >= ceiling || slope <= 0 || seconds > within * (1 + rule.clearMargin),
      clearAfterSeconds: CLEAR_AFTER_SECONDS,
    });
  }
  return measurements;
}

function secondsToCeiling(use: number, ceiling: number, slope: number): number {
  if (use >= ceiling) return 0;
  if (slope <= 0) return HORIZON_SECONDS;
  return Math.min(HORIZON_SECONDS, Math.round(((ceiling - use) / slope) * 10) / 10);
}
