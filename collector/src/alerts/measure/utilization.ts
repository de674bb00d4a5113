import type { Rule } from '../../storage/types.js';
import type { KeyView, UtilizationDimension } from '../../view/snapshot.js';
import { dimensionSeries } from '../series-id.js';
import { higherIsWorse, type Measurement } from './measurement.js';

/** `burst` is the busiest of the last seconds against rpm/60: a minute with room still refuses a spike. */
const DIMENSIONS: UtilizationDimension[] = ['rpm', 'tpm', 'concurrency', 'burst'];

/** One measurement per dimension that has a ceiling (the view only computes utilization there). */
export function measureUtilization(rule: Rule, key: KeyView): Measurement[] {
  const measurements: Measurement[] = [];
  for (const dimension of DIMENSIONS) {
    const value = key.utilization[dimension];
    if (value === undefined) continue;
    measurements.push(
      higherIsWorse({
        series: dimensionSeries(key, dimension),
        value,
        threshold: rule.threshold,
        clearMargin: rule.clearMargin,
        inclusive: true,
      }),
    );
  }
  return measurements;
}
