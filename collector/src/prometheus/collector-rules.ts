import { stringify } from 'yaml';
import type { Rule } from '../storage/types.js';
import { alertingRule } from './alert-text.js';
import { selectorMatchers } from './matchers.js';

/** Seconds the slope of use is taken over in predictive rules, as in the collector's own. */
const TREND_WINDOW = '1m';

/**
 * The alert rules as a Prometheus alerting-rules file, for teams that run Prometheus and
 * Alertmanager at fleet scale: the expressions read the collector's own `/metrics` (scrape it),
 * so Prometheus alerts on the same figures the dashboard shows. `promtool check rules` accepts
 * the result.
 */
export function prometheusRules(rules: readonly Rule[]): string {
  const alerts = rules
    .filter((rule) => rule.enabled)
    .map((rule) => alertingRule(rule, expression(rule)));
  return stringify({ groups: [{ name: 'headroom', rules: alerts }] }, { lineWidth: 0 });
}

function expression(rule: Rule): string {
  const keyLabels = selectorMatchers(rule, ['key', 'provider', 'model']);
  switch (rule.kind) {
    case 'utilization':
      return `headroom_utilization_ratio{${joinMatchers(keyLabels)}} >= ${rule.threshold}`;
    case 'rate_limited':
      return `headroom_rate_limited_per_minute{${joinMatchers(keyLabels)}} > ${rule.threshold}`;
    case 'retry_amplification':
      return `headroom_retry_amplification{${joinMatchers(keyLabels)}} > ${rule.threshold}`;
    case 'node_executions_per_run':
      return `headroom_node_max_executions_per_run{${joinMatchers(selectorMatchers(rule, ['graph', 'node']))}} > ${rule.threshold}`;
    case 'predictive': {
      // Seconds until use reaches the ceiling at the current slope, for rpm and tpm alike.
      const within = rule.withinSeconds ?? 60;
      const by = 'by (provider, model, key)';
      const parts = [
        ['rpm', 'headroom_requests_per_minute'],
        ['tpm', 'headroom_tokens_per_minute'],
      ].map(([dimension, metric]) => {
        const use = `max ${by} (${metric}{${joinMatchers(keyLabels)}})`;
        const ceiling = `max ${by} (headroom_ceiling{${joinMatchers([...keyLabels, `dimension="${dimension}"`])}})`;
        const slope = `max ${by} (deriv(${metric}{${joinMatchers(keyLabels)}}[${TREND_WINDOW}]) > 0)`;
        // deriv() is per second, so what is left over the slope is in seconds.
        return `((${ceiling} - ${use}) / ${slope} <= ${within})`;
      });
      return parts.join(' or ');
    }
  }
}

function joinMatchers(list: string[]): string {
  return list.join(',');
}
