import type { Rule } from '../../storage/types.js';
import type { KeyView } from '../../view/snapshot.js';
import { keySeries } from '../series-id.js';
import { higherIsWorse, type Measurement } from './measurement.js';

/** Below this many calls a minute one retried call swings the ratio: 2 calls, 1 retry = 1.5. */
export const MIN_CALLS_PER_MINUTE = 5;

/**
 * HTTP attempts per logical call. No calls in the window means no ratio: the series is not
 * measured, so an alert on it resolves as a series that went away.
 */
export function measureRetryAmplification(rule: Rule, key: KeyView): Measurement[] {
  if (key.retryAmplification === null) return [];
  return [
    higherIsWorse({
      series: keySeries(key),
      value: key.retryAmplification,
      threshold: rule.threshold,
      clearMargin: rule.clearMargin,
      enough: key.callsPerMinute >= MIN_CALLS_PER_MINUTE,
    }),
  ];
}
