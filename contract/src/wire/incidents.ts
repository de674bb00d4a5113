import type { Severity } from '../api/fields.js';
import type { RuleKind } from '../api/rule-kinds.js';
import type { ActiveAlert, Cause, Diagnosis } from './alerts.js';
import type { UtilizationDimension } from './snapshot.js';

/**
 * What happened in an incident, in order. `peak_utilization` is kept once and moved when the
 * peak is passed; the others are appended.
 */
export type IncidentEventKind =
  | 'first_warning'
  | 'opened'
  | 'first_429'
  | 'peak_utilization'
  | 'cause_decided'
  | 'cause_changed'
  | 'severity_raised'
  | 'resolved';

export interface IncidentEvent {
  /** ms. */
  at: number;
  kind: IncidentEventKind;
  /** One line, with the numbers. */
  text: string;
  /** The cause from then on (`cause_decided`, `cause_changed`). */
  cause?: Cause | 'none';
  /** The cause before (`cause_changed`). */
  previousCause?: Cause | 'none';
  /** The severity from then on (`opened`, `severity_raised`). */
  severity?: Severity;
}

/** An alert that took part in an incident. */
export interface IncidentAlert {
  ruleId: string;
  ruleName: string;
  kind: RuleKind;
  series: string;
  severity: Severity;
  /** When it first fired in this incident (ms); absent while it has only been pending. */
  firingSince?: number;
  /** When it resolved (ms); absent while it is active. */
  resolvedAt?: number;
}

/**
 * The alerts on one key × provider × model (or one graph node) that overlap in time: opened by
 * the first alert that fires, resolved when the last one resolves. One cause for the whole
 * incident, decided on its evidence so far and changed only when the evidence clearly changes.
 */
export interface Incident {
  /** Stable for the incident's life; every alert of the incident carries it. */
  id: string;
  /** `key=prod|provider=openai|model=gpt-4o-mini` or `graph=agent|node=summarize`. */
  subject: string;
  state: 'open' | 'resolved';
  /** When its first alert went pending (ms). */
  firstWarningAt: number;
  /** When its first alert fired (ms). */
  openedAt: number;
  resolvedAt?: number;
  /** The highest severity of its alerts so far. */
  severity: Severity;
  cause: Cause | 'none';
  /** The diagnosis of `cause`, with its latest evidence; every alert of the incident carries it. */
  diagnosis: Diagnosis;
  /** The highest utilization seen while it was open, and when (a key's incident only). */
  peakUtilization?: { value: number; dimension: UtilizationDimension; at: number };
  /** When the key's first 429 of the incident was seen (a key's incident only). */
  firstRateLimitedAt?: number;
  timeline: IncidentEvent[];
  alerts: IncidentAlert[];
}

/** `GET /api/incidents`. */
export interface IncidentsResponse {
  /** Open now, most severe first, then newest. */
  open: Incident[];
  /** Resolved, newest first. */
  recent: Incident[];
  /** The alerts active now, each with its `incidentId` (when it is part of one). */
  active: ActiveAlert[];
}
