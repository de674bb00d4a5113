import type { Rule } from '../storage/types.js';
import { parseRuleInput } from './rule-input.js';

/** Built in, with fixed ids so a restart updates them instead of adding copies. */
const DEFAULT_RULES = [
  {
    id: 'default-utilization-warning',
    name: 'Utilization at 80% of a ceiling',
    kind: 'utilization',
    severity: 'warning',
    threshold: 0.8,
  },
  {
    id: 'default-utilization-critical',
    name: 'Utilization at 95% of a ceiling',
    kind: 'utilization',
    severity: 'critical',
    threshold: 0.95,
  },
  {
    id: 'default-predictive-warning',
    name: 'Ceiling reached within 60 s at the current slope',
    kind: 'predictive',
    severity: 'warning',
    threshold: 1,
    withinSeconds: 60,
  },
  {
    id: 'default-rate-limited-critical',
    name: 'Rate limited (any 429)',
    kind: 'rate_limited',
    severity: 'critical',
    threshold: 0,
  },
  {
    id: 'default-retry-amplification-warning',
    name: 'Retry amplification above 1.5×',
    kind: 'retry_amplification',
    severity: 'warning',
    threshold: 1.5,
  },
  {
    id: 'default-node-executions-per-run-warning',
    name: 'A node executed more than 25 times in one run',
    kind: 'node_executions_per_run',
    severity: 'warning',
    threshold: 25,
  },
];

/** The rules every collector starts with; through the same validation as user rules. */
export function defaultRules(now: number): Rule[] {
  return DEFAULT_RULES.map((rule) => parseRuleInput(rule, { now }));
}
