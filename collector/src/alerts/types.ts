import type { AlertTransition, RuleKind, Severity } from '../storage/types.js';
import type { Diagnosis } from './diagnosis/types.js';

/** A transition as the engine emits it; the store assigns the `sequence`. */
export type TransitionDraft = Omit<AlertTransition, 'sequence'>;

/** One alert that is pending or firing now: one rule on one series. */
export interface ActiveAlert {
  ruleId: string;
  ruleName: string;
  /** Added beside the contract's fields so a reader can format `value` without the rule. */
  kind: RuleKind;
  series: string;
  state: 'pending' | 'firing';
  severity: Severity;
  value: number;
  threshold: number;
  /** When it went pending (ms). */
  since: number;
  firingSince?: number;
  /** The latest diagnosis, while firing. */
  diagnosis?: Diagnosis;
}

export interface Evaluation {
  /** In the order they happened; pending and firing of one alert may share an evaluation. */
  transitions: TransitionDraft[];
  /** Sorted by rule id, then series. */
  active: ActiveAlert[];
}
