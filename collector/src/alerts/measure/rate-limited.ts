import type { Rule } from '../../storage/types.js';
import type { KeyView } from '../../view/snapshot.js';
import { keySeries } from '../series-id.js';
import { higherIsWorse, type Measurement } from './measurement.js';

/** 429s per minute above the threshold; with the default 0, any 429, cleared after 10 s at zero. */
export function measureRateLimited(rule: Rule, key: KeyView): Measurement[] {
  return [
    higherIsWorse({
      series: keySeries(key),
      value: key.rateLimitedPerMinute,
      threshold: rule.threshold,
      clearMargin: rule.clearMargin,
    }),
  ];
}
