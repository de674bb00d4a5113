import type { Severity } from '../api/fields.js';
import type { RuleKind } from '../api/rule-kinds.js';

/** The five patterns that push an app into 429s as it scales (see DESIGN.md). */
export type Cause = 'fan_out' | 'stacked_retries' | 'graph_loop' | 'batch_too_large' | 'shared_key';

export interface Fix {
  text: string;
  /** Code to paste and adapt; numbers come from this key's ceiling. */
  snippet: string;
}

export interface Diagnosis {
  /** `none` when no pattern's evidence is there: demand itself is near the ceiling. */
  cause: Cause | 'none';
  title: string;
  /** One line, with the numbers. */
  summary: string;
  evidence: Record<string, number | string>;
  fix: Fix;
  /** Other causes whose evidence is also there, strongest first. */
  alternatives: Cause[];
}

/** One alert that is pending or firing now: one rule on one series. */
export interface ActiveAlert {
  ruleId: string;
  ruleName: string;
  /** Beside the rule's id so a reader can format `value` without the rule. */
  kind: RuleKind;
  /** e.g. `key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm`. */
  series: string;
  state: 'pending' | 'firing';
  severity: Severity;
  value: number;
  threshold: number;
  /** When it went pending (ms). */
  since: number;
  firingSince?: number;
  /** The diagnosis of its incident, while firing: the same for every alert of the incident. */
  diagnosis?: Diagnosis;
  /** The incident it is part of, once it has fired. */
  incidentId?: string;
}

export type AlertState = 'pending' | 'firing' | 'resolved';

export interface AlertTransition {
  /** Monotonic, assigned by the store. */
  sequence: number;
  ruleId: string;
  /** The series the alert is about, e.g. `key=prod|provider=openai|model=gpt-4o-mini`. */
  series: string;
  state: AlertState;
  severity: Severity;
  value: number;
  threshold: number;
  /** ms. */
  at: number;
  /** The diagnosis when firing: cause, evidence and fix (JSON). */
  diagnosis?: unknown;
  /** The incident the alert is part of (firing and resolved transitions of an alert that fired). */
  incidentId?: string;
}

/** `GET /api/alerts`. */
export interface AlertsResponse {
  active: ActiveAlert[];
  history: AlertTransition[];
}
