import type { Rule } from '../storage/types.js';

/**
 * One name per kind of problem, as alerts are named (`KubePodCrashLooping`): the severity and the
 * rule are labels, so a warning and a critical rule of one kind group and inhibit as one alert.
 */
export const ALERT_NAMES: Record<Rule['kind'], string> = {
  utilization: 'HeadroomNearCeiling',
  predictive: 'HeadroomCeilingSoon',
  rate_limited: 'HeadroomRateLimited',
  retry_amplification: 'HeadroomRetryAmplification',
  node_executions_per_run: 'HeadroomNodeLooping',
};

/** The alert's summary, a template over its labels and value. */
export function alertSummary(kind: Rule['kind']): string {
  switch (kind) {
    case 'utilization':
      return '{{ $labels.key }} {{ $labels.provider }}/{{ $labels.model }} is at {{ $value | humanizePercentage }} of its {{ $labels.dimension }} ceiling';
    case 'predictive':
      return '{{ $labels.key }} {{ $labels.provider }}/{{ $labels.model }} reaches its ceiling in {{ $value | humanizeDuration }} at the current slope';
    case 'rate_limited':
      return '{{ $labels.key }} {{ $labels.provider }}/{{ $labels.model }} got {{ $value }} 429s in the last minute';
    case 'retry_amplification':
      return '{{ $labels.key }} {{ $labels.provider }}/{{ $labels.model }} sends {{ $value }} HTTP attempts per call';
    case 'node_executions_per_run':
      return 'node {{ $labels.node }} of {{ $labels.graph }} ran {{ $value }} times in one run';
  }
}

/** One Prometheus alerting rule for a Headroom rule, over `expr`. */
export function alertingRule(rule: Rule, expr: string) {
  return {
    alert: ALERT_NAMES[rule.kind],
    expr,
    for: `${rule.forSeconds}s`,
    labels: { severity: rule.severity, rule: rule.id },
    annotations: {
      summary: alertSummary(rule.kind),
      description: `Headroom rule "${rule.name}" (${rule.kind}, threshold ${rule.threshold}).`,
    },
  };
}
