import type { AlertState, Rule } from '../storage/types.js';
import type { Snapshot } from '../view/snapshot.js';
import { diagnose } from './diagnosis/diagnose.js';
import { measureRule } from './measure/measure-rule.js';
import type { Measurement } from './measure/measurement.js';
import type { ActiveAlert, Evaluation, TransitionDraft } from './types.js';

interface Tracked extends ActiveAlert {
  /** When the value went past the hysteresis margin, while it stays there. */
  clearSince?: number;
}

/**
 * Alert state per rule × series: inactive → pending → firing → resolved. Pure and deterministic:
 * the same snapshots, rules and times give the same transitions; it reads no clock and does no I/O.
 *
 * - Pending when the condition becomes true; firing once it has been pending `forSeconds` and
 *   the condition holds at that moment (0: both in the same evaluation, pending first).
 * - Resolved (from pending too, so history is closed) once the value has stayed past the
 *   hysteresis margin for the measurement's `clearAfterSeconds`. A value that dips under the
 *   threshold without passing the margin keeps the alert and its clock as they are.
 * - Resolved at once when the series leaves the snapshot, or the rule is removed, disabled or
 *   changes kind.
 */
export class AlertEngine {
  /** Keyed by rule id and series; the order alerts were raised. */
  readonly #alerts = new Map<string, Tracked>();
  readonly #diagnose: boolean;

  /**
   * `diagnose: false` leaves diagnoses to the caller (the collector's incidents give every alert
   * of an incident the incident's one); by default each firing alert diagnoses its own series.
   */
  constructor({ diagnose = true }: { diagnose?: boolean } = {}) {
    this.#diagnose = diagnose;
  }

  evaluate(snapshot: Snapshot, rules: readonly Rule[], now: number): Evaluation {
    const transitions: TransitionDraft[] = [];
    const measured = new Set<string>();
    const seenRules = new Set<string>();
    for (const rule of rules) {
      // A rule id listed twice is evaluated once: the first wins, as a store lookup would.
      if (!rule.enabled || seenRules.has(rule.id)) continue;
      seenRules.add(rule.id);
      for (const measurement of measureRule(rule, snapshot)) {
        const id = alertId(rule.id, measurement.series);
        if (measured.has(id)) continue;
        measured.add(id);
        this.#step(id, rule, measurement, snapshot, now, transitions);
      }
    }
    for (const [id, alert] of this.#alerts) {
      if (measured.has(id)) continue;
      this.#alerts.delete(id);
      transitions.push(transition(alert, 'resolved', now));
    }
    const active = [...this.#alerts.values()]
      .map(({ clearSince: _clearSince, ...alert }) => alert)
      .sort(byRuleAndSeries);
    return { transitions, active };
  }

  #step(
    id: string,
    rule: Rule,
    measurement: Measurement,
    snapshot: Snapshot,
    now: number,
    transitions: TransitionDraft[],
  ): void {
    let alert = this.#alerts.get(id);
    if (alert !== undefined && alert.kind !== rule.kind) {
      this.#alerts.delete(id);
      transitions.push(transition(alert, 'resolved', now));
      alert = undefined;
    }
    if (alert === undefined) {
      if (!measurement.condition) return;
      alert = {
        ruleId: rule.id,
        ruleName: rule.name,
        kind: rule.kind,
        series: measurement.series,
        state: 'pending',
        severity: rule.severity,
        value: measurement.value,
        threshold: measurement.threshold,
        since: now,
      };
      this.#alerts.set(id, alert);
      transitions.push(transition(alert, 'pending', now));
    } else {
      // The rule may have been edited: the alert follows its name, severity and threshold.
      alert.ruleName = rule.name;
      alert.severity = rule.severity;
      alert.value = measurement.value;
      alert.threshold = measurement.threshold;
      if (measurement.cleared) {
        alert.clearSince ??= now;
        if (now - alert.clearSince >= measurement.clearAfterSeconds * 1000) {
          this.#alerts.delete(id);
          transitions.push(transition(alert, 'resolved', now));
          return;
        }
      } else {
        delete alert.clearSince;
      }
    }
    if (
      alert.state === 'pending' &&
      measurement.condition &&
      now - alert.since >= Math.max(0, rule.forSeconds) * 1000
    ) {
      alert.state = 'firing';
      alert.firingSince = now;
      if (!this.#diagnose) {
        transitions.push(transition(alert, 'firing', now));
        return;
      }
      alert.diagnosis = diagnose(snapshot, alert.series);
      transitions.push({ ...transition(alert, 'firing', now), diagnosis: alert.diagnosis });
    } else if (alert.state === 'firing' && this.#diagnose) {
      alert.diagnosis = diagnose(snapshot, alert.series);
    }
  }
}

function alertId(ruleId: string, series: string): string {
  return `${ruleId}\u0000${series}`;
}

function transition(alert: Tracked, state: AlertState, at: number): TransitionDraft {
  return {
    ruleId: alert.ruleId,
    series: alert.series,
    state,
    severity: alert.severity,
    value: alert.value,
    threshold: alert.threshold,
    at,
  };
}

function byRuleAndSeries(a: ActiveAlert, b: ActiveAlert): number {
  return compare(a.ruleId, b.ruleId) || compare(a.series, b.series);
}

/** Code-unit order, not locale order: the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
