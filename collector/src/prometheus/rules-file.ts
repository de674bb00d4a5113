import type { Ceiling, Rule } from '../storage/types.js';
import { prometheusRules } from './collector-rules.js';
import { fleetRules } from './fleet-rules.js';

/** What a Prometheus rules file reads: the replicas' own metrics, or a collector's `/metrics`. */
export type RulesOver = 'sdk' | 'collector';

/** The rules file `headroom rules` prints and `GET /api/prometheus-rules` serves. */
export function rulesFile(
  over: RulesOver,
  rules: readonly Rule[],
  ceilings: readonly Ceiling[],
  interval?: string,
): string {
  return over === 'sdk'
    ? fleetRules(rules, ceilings, interval === undefined ? {} : { interval })
    : prometheusRules(rules);
}
