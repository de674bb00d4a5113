import type { Rule, RuleKind } from '../../storage/types.js';
import type { KeyView, Snapshot } from '../../view/snapshot.js';
import { matchesKey, matchesNode } from '../matches-selector.js';
import type { Measurement } from './measurement.js';
import { measureNodeExecutions } from './node-executions.js';
import { measurePredictive } from './predictive.js';
import { measureRateLimited } from './rate-limited.js';
import { measureRetryAmplification } from './retry-amplification.js';
import { measureUtilization } from './utilization.js';

type KeyMeasure = (rule: Rule, key: KeyView) => Measurement[];

const KEY_MEASURES: Record<Exclude<RuleKind, 'node_executions_per_run'>, KeyMeasure> = {
  utilization: measureUtilization,
  predictive: measurePredictive,
  rate_limited: measureRateLimited,
  retry_amplification: measureRetryAmplification,
};

/** Every series the rule applies to in this snapshot, in the snapshot's order. */
export function measureRule(rule: Rule, snapshot: Snapshot): Measurement[] {
  if (rule.kind === 'node_executions_per_run') {
    return snapshot.nodes
      .filter((node) => matchesNode(rule.selector, node))
      .flatMap((node) => measureNodeExecutions(rule, node));
  }
  const measure = KEY_MEASURES[rule.kind];
  // A kind this collector does not know (a newer store) measures nothing rather than throwing each second.
  if (measure === undefined) return [];
  return snapshot.keys
    .filter((key) => matchesKey(rule.selector, key) && !heldByGuard(rule.kind, key))
    .flatMap((key) => measure(rule, key));
}

/**
 * A guarded key the provider refuses nothing is held under its ceilings by the guard: running
 * at them is the guard doing its work (calls wait in its queue instead of getting 429s), so the
 * utilization and predictive rules, which warn before the 429s, have nothing to warn of. The
 * first 429 brings them back, with the any-429 rule.
 */
function heldByGuard(kind: RuleKind, key: KeyView): boolean {
  return (
    (kind === 'utilization' || kind === 'predictive') &&
    key.guard !== undefined &&
    key.rateLimitedPerMinute === 0
  );
}
