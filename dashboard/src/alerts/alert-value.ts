import type { Rule, RuleKind } from '@headroom/contract/wire';
import { formatNumber, formatPercent, formatRatio } from '../format/format';

/**
 * An alert's value against its threshold, in the unit of its rule's kind. Predictive alerts
 * measure seconds until the ceiling at the current slope, and fire at or below the threshold.
 */
export function formatAlertReading(
  kind: RuleKind | undefined,
  value: number,
  threshold: number,
): string {
  switch (kind) {
    case 'utilization':
      return `${formatPercent(value)} of the ceiling (threshold ${formatPercent(threshold)})`;
    case 'predictive':
      return value <= 0
        ? `at the ceiling and rising (threshold ${formatNumber(threshold)} s)`
        : `ceiling reached in ${formatNumber(value)} s at the current slope (threshold ${formatNumber(threshold)} s)`;
    case 'rate_limited':
      return `${formatNumber(value)} 429s / min (threshold ${formatNumber(threshold)})`;
    case 'retry_amplification':
      return `${formatRatio(value)}× attempts per call (threshold ${formatRatio(threshold)}×)`;
    case 'node_executions_per_run':
      return `${formatNumber(value)} executions per run (threshold ${formatNumber(threshold)})`;
    default:
      return `${formatNumber(value)} (threshold ${formatNumber(threshold)})`;
  }
}

/** When a rule fires, in words: `at 80 % of a ceiling`, `ceiling within 60 s`. */
export function formatRuleCondition(
  rule: Pick<Rule, 'kind' | 'threshold' | 'withinSeconds'>,
): string {
  switch (rule.kind) {
    case 'utilization':
      return `at ${formatPercent(rule.threshold)} of a ceiling`;
    case 'predictive': {
      const share =
        rule.threshold === 1 ? 'ceiling' : `${formatPercent(rule.threshold)} of the ceiling`;
      return `${share} within ${formatNumber(rule.withinSeconds ?? 120)} s`;
    }
    case 'rate_limited':
      return `above ${formatNumber(rule.threshold)} 429s / min`;
    case 'retry_amplification':
      return `above ${formatRatio(rule.threshold)}× attempts per call`;
    case 'node_executions_per_run':
      return `above ${formatNumber(rule.threshold)} executions per run`;
  }
}
