import type { Cause, Incident, IncidentEvent, UtilizationDimension } from '@headroom/contract';
import type { Severity } from '../../storage/types.js';
import type { KeyView, Snapshot } from '../../view/snapshot.js';
import { type Assessment, assess, diagnosisOf } from '../diagnosis/diagnose.js';
import { formatPercent } from '../format.js';
import type { ActiveAlert, Evaluation } from '../types.js';

type IncidentCause = Cause | 'none';

/** How long a cause's evidence counts at half weight: older evidence fades, it is not dropped. */
export const EVIDENCE_HALF_LIFE_MS = 30_000;
/** A challenger takes over only once its evidence is this many times the incumbent's. */
export const CAUSE_CHANGE_RATIO = 1.5;
/**
 * For this long after it opens (the default webhook group wait) an incident's cause is still
 * being decided: the cause with the most evidence so far is its cause, with no margin, and a
 * change is not a `cause_changed` event. The first alert often fires on the first 429, before
 * the pattern behind it has shown itself.
 */
export const CAUSE_SETTLE_MS = 10_000;
/** Resolved incidents kept in memory for the API and the live stream. */
export const RECENT_INCIDENTS = 200;
/** Appended timeline events kept per incident: the first ones and the newest ones. */
export const TIMELINE_LIMIT = 40;
/**
 * An incident still open when the collector restarted waits this long for its alerts to be
 * raised again (rules have to be pending for their `forSeconds` first) before it is resolved.
 */
export const RESTORE_GRACE_MS = 120_000;

const SEVERITY_RANK: Record<Severity, number> = { warning: 1, critical: 2 };

/** What one evaluation changed, for the store and the notifier. */
export interface IncidentUpdate {
  /**
   * Incidents that changed in what they say (opened or resolved, an event, an alert joined or
   * resolved, a new peak): to be saved. A diagnosis whose numbers moved alone is not a change;
   * it is saved with the next one.
   */
  changed: Incident[];
  /** Events that call for a notification, in order. */
  events: Array<{ incident: Incident; event: IncidentEvent }>;
}

interface Tracked {
  incident: Incident;
  /** Decayed evidence per cause, and when it was last decayed. */
  evidence: Map<IncidentCause, number>;
  evidenceAt: number;
  /** Restored after a restart and not yet seen again: resolved if it stays unseen. */
  restoredAt?: number;
}

/** `key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm` → the key's series. */
export function subjectOf(series: string): string {
  return series.replace(/\|dimension=[^|]*$/, '');
}

/**
 * Groups the alert engine's alerts into incidents: per subject (a key × provider × model, or a
 * graph node), the alerts that overlap in time are one incident, opened by the first that fires
 * and resolved when the last one resolves (with the engine's hysteresis). Each incident has one
 * cause: decided when it opens, on the evidence there is, and changed only once another cause's
 * evidence, accumulated with a half-life, is `CAUSE_CHANGE_RATIO` times the incumbent's and
 * present now. Every alert of the incident carries its id and its diagnosis.
 *
 * Pure and deterministic like the engine: the same evaluations give the same incidents. Bounded:
 * one open incident per subject with active alerts, and `RECENT_INCIDENTS` resolved ones.
 */
export class IncidentTracker {
  readonly #open = new Map<string, Tracked>();
  #recent: Incident[] = [];

  /** Incidents a previous run left open (from the store), and recent resolved ones. */
  restore(incidents: readonly Incident[], now: number): void {
    for (const incident of incidents) {
      if (incident.state === 'open') {
        if (this.#open.has(incident.subject)) continue;
        this.#open.set(incident.subject, {
          incident: structuredClone(incident),
          evidence: new Map([[incident.cause, 1]]),
          evidenceAt: now,
          restoredAt: now,
        });
      } else if (this.#recent.length < RECENT_INCIDENTS) {
        this.#recent.push(incident);
      }
    }
    this.#recent.sort((a, b) => (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0));
  }

  /** Open now: most severe first, then the newest. */
  open(): Incident[] {
    return [...this.#open.values()]
      .map((tracked) => tracked.incident)
      .sort(
        (a, b) =>
          SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
          b.openedAt - a.openedAt ||
          compare(a.id, b.id),
      );
  }

  /** Resolved, newest first. */
  recent(): readonly Incident[] {
    return this.#recent;
  }

  /**
   * Folds one evaluation of the engine in: opens, grows and resolves incidents, decides their
   * causes, and sets `incidentId` and the incident's diagnosis on the evaluation's alerts and
   * transitions (in place).
   */
  update(evaluation: Evaluation, snapshot: Snapshot, now: number): IncidentUpdate {
    const update: IncidentUpdate = { changed: [], events: [] };
    const bySubject = new Map<string, ActiveAlert[]>();
    for (const alert of evaluation.active) {
      const subject = subjectOf(alert.series);
      const alerts = bySubject.get(subject);
      if (alerts === undefined) bySubject.set(subject, [alert]);
      else alerts.push(alert);
    }
    const changed = new Set<Tracked>();

    for (const [subject, alerts] of bySubject) {
      let tracked = this.#open.get(subject);
      if (tracked === undefined && !alerts.some((alert) => alert.state === 'firing')) continue;
      // The subject's evidence now, once for opening and following it.
      const assessment = assess(snapshot, subject);
      if (tracked === undefined) {
        tracked = this.#openIncident(subject, alerts, assessment, now, update);
        this.#open.set(subject, tracked);
        changed.add(tracked);
      } else if (tracked.restoredAt !== undefined) {
        delete tracked.restoredAt;
      }
      if (this.#follow(tracked, alerts, assessment, now, update)) changed.add(tracked);
      const { id, diagnosis } = tracked.incident;
      for (const alert of alerts) {
        if (alert.state !== 'firing') continue;
        alert.incidentId = id;
        alert.diagnosis = diagnosis;
      }
    }

    // Transitions: firing ones carry the incident's diagnosis; resolved ones its id.
    for (const transition of evaluation.transitions) {
      const tracked = this.#open.get(subjectOf(transition.series));
      if (tracked === undefined) continue;
      const member = tracked.incident.alerts.find(
        (alert) => alert.ruleId === transition.ruleId && alert.series === transition.series,
      );
      if (member === undefined) continue;
      if (transition.state === 'firing') {
        transition.incidentId = tracked.incident.id;
        transition.diagnosis = tracked.incident.diagnosis;
      } else if (transition.state === 'resolved' && member.firingSince !== undefined) {
        transition.incidentId = tracked.incident.id;
        member.resolvedAt ??= transition.at;
        changed.add(tracked);
      }
    }

    for (const [subject, tracked] of this.#open) {
      if (bySubject.has(subject)) continue;
      if (tracked.restoredAt !== undefined && now - tracked.restoredAt < RESTORE_GRACE_MS) continue;
      this.#resolve(tracked, now, update);
      this.#open.delete(subject);
      changed.add(tracked);
    }
    for (const tracked of changed) update.changed.push(tracked.incident);
    return update;
  }

  #openIncident(
    subject: string,
    alerts: readonly ActiveAlert[],
    assessment: Assessment,
    now: number,
    update: IncidentUpdate,
  ): Tracked {
    const cause = assessment.findings[0]?.cause ?? 'none';
    const firstWarningAt = Math.min(...alerts.map((alert) => alert.since));
    const severity = highest(alerts.filter((alert) => alert.state === 'firing'));
    const opener = alerts
      .filter((alert) => alert.state === 'firing')
      .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])[0]!;
    const diagnosis = diagnosisOf(assessment, subject, cause);
    const incident: Incident = {
      id: incidentId(subject, now),
      subject,
      state: 'open',
      firstWarningAt,
      openedAt: now,
      severity,
      cause,
      diagnosis,
      timeline: [],
      alerts: [],
    };
    if (firstWarningAt < now) {
      incident.timeline.push({
        at: firstWarningAt,
        kind: 'first_warning',
        text: `${alerts.find((alert) => alert.since === firstWarningAt)!.ruleName} went pending`,
      });
    }
    const opened: IncidentEvent = {
      at: now,
      kind: 'opened',
      text: `${opener.ruleName} fired (${opener.severity})`,
      severity,
    };
    const decided: IncidentEvent = {
      at: now,
      kind: 'cause_decided',
      text: `Cause: ${diagnosis.title}`,
      cause,
    };
    incident.timeline.push(opened, decided);
    update.events.push({ incident, event: opened });
    return { incident, evidence: new Map(), evidenceAt: now };
  }

  /**
   * One evaluation of an open incident: its alerts, severity, cause, 429s and peak. True when it
   * changed in what it says.
   */
  #follow(
    tracked: Tracked,
    alerts: readonly ActiveAlert[],
    assessment: Assessment,
    now: number,
    update: IncidentUpdate,
  ): boolean {
    const incident = tracked.incident;
    const before = update.events.length;
    let changed = false;
    for (const alert of alerts) {
      // An alert that resolved and came back while the incident stayed open is the same member.
      let member = incident.alerts.find(
        (candidate) => candidate.ruleId === alert.ruleId && candidate.series === alert.series,
      );
      if (member === undefined) {
        member = {
          ruleId: alert.ruleId,
          ruleName: alert.ruleName,
          kind: alert.kind,
          series: alert.series,
          severity: alert.severity,
        };
        incident.alerts.push(member);
        changed = true;
      }
      member.ruleName = alert.ruleName;
      member.severity = alert.severity;
      if (member.resolvedAt !== undefined) {
        delete member.resolvedAt;
        changed = true;
      }
      if (alert.state === 'firing' && member.firingSince === undefined) {
        member.firingSince = alert.firingSince ?? now;
        changed = true;
      }
    }
    // Alerts the engine no longer holds resolved (their transition said when, if it was seen).
    for (const member of incident.alerts) {
      if (member.resolvedAt !== undefined) continue;
      const active = alerts.some(
        (alert) => alert.ruleId === member.ruleId && alert.series === member.series,
      );
      if (!active) {
        member.resolvedAt = now;
        changed = true;
      }
    }

    const firing = alerts.filter((alert) => alert.state === 'firing');
    const severity = highest(firing);
    if (firing.length > 0 && SEVERITY_RANK[severity] > SEVERITY_RANK[incident.severity]) {
      incident.severity = severity;
      const event: IncidentEvent = {
        at: now,
        kind: 'severity_raised',
        text: `Raised to ${severity}`,
        severity,
      };
      append(incident, event);
      update.events.push({ incident, event });
    }

    // A key's incident: the key the assessment found for its subject.
    const key = assessment.suspects?.key;
    if (key !== undefined && this.#watchKey(incident, key, now)) changed = true;

    // Evidence counts while the key is sending: once its traffic stops, its windows empty
    // over a minute and what remains in them (a ratio, a peak) is no longer the incident.
    const sending = key === undefined || key.activeCalls > 0 || key.peakRequestsPerSecond > 0;
    decay(tracked, now);
    if (sending) addEvidence(tracked.evidence, assessment);
    const settling = now - incident.openedAt < CAUSE_SETTLE_MS;
    const challenger = sending ? this.#challenger(tracked, assessment, settling) : undefined;
    if (challenger !== undefined) {
      const previousCause = incident.cause;
      incident.cause = challenger;
      incident.diagnosis = diagnosisOf(assessment, incident.subject, challenger);
      const decided = settling
        ? incident.timeline.find((event) => event.kind === 'cause_decided')
        : undefined;
      if (decided !== undefined) {
        // Still settling: the decision moves, it is not a change.
        decided.at = now;
        decided.text = `Cause: ${incident.diagnosis.title}`;
        decided.cause = challenger;
        incident.timeline.sort((a, b) => a.at - b.at);
        changed = true;
      } else {
        const event: IncidentEvent = {
          at: now,
          kind: 'cause_changed',
          text: `Cause changed: ${incident.diagnosis.title}`,
          cause: challenger,
          previousCause,
        };
        append(incident, event);
        update.events.push({ incident, event });
      }
    } else if (
      incident.cause === 'none'
        ? key === undefined || incident.peakUtilization?.at === now
        : assessment.findings.some((finding) => finding.cause === incident.cause)
    ) {
      // The incumbent's evidence now: fresh numbers, the same cause. With no pattern, the
      // numbers worth keeping are those of the worst moment, not of the calm after it.
      incident.diagnosis = diagnosisOf(assessment, incident.subject, incident.cause);
    }
    return changed || update.events.length > before;
  }

  /**
   * The cause that takes over now, if one does: by `CAUSE_CHANGE_RATIO` over the incumbent's
   * evidence, or by any margin while the cause is settling or the incumbent is no pattern at all.
   */
  #challenger(
    tracked: Tracked,
    assessment: Assessment,
    settling: boolean,
  ): IncidentCause | undefined {
    const incumbent = tracked.evidence.get(tracked.incident.cause) ?? 0;
    const present: IncidentCause[] =
      assessment.findings.length === 0 ? ['none'] : assessment.findings.map((f) => f.cause);
    let best: IncidentCause | undefined;
    let bestScore = 0;
    for (const cause of present) {
      if (cause === tracked.incident.cause) continue;
      const score = tracked.evidence.get(cause) ?? 0;
      if (score > bestScore) {
        best = cause;
        bestScore = score;
      }
    }
    const ratio = settling || tracked.incident.cause === 'none' ? 1 : CAUSE_CHANGE_RATIO;
    return best !== undefined && bestScore > ratio * incumbent ? best : undefined;
  }

  /** The key's first 429 and its peak utilization; true when either moved. */
  #watchKey(incident: Incident, key: KeyView, now: number): boolean {
    let changed = false;
    if (incident.firstRateLimitedAt === undefined && key.rateLimitedPerMinute > 0) {
      changed = true;
      incident.firstRateLimitedAt = now;
      append(incident, {
        at: now,
        kind: 'first_429',
        text: `First 429s: ${key.rateLimitedPerMinute} in the last minute`,
      });
    }
    let peak: { value: number; dimension: UtilizationDimension } | undefined;
    for (const [dimension, value] of Object.entries(key.utilization) as Array<
      [UtilizationDimension, number]
    >) {
      if (peak === undefined || value > peak.value) peak = { value, dimension };
    }
    if (peak === undefined || peak.value <= (incident.peakUtilization?.value ?? 0)) return changed;
    incident.peakUtilization = { ...peak, at: now };
    const text = `Peak ${peak.dimension} utilization ${formatPercent(peak.value)}`;
    const existing = incident.timeline.find((event) => event.kind === 'peak_utilization');
    if (existing !== undefined) {
      existing.at = now;
      existing.text = text;
      // Kept in time order: the moved peak goes to where its time now puts it.
      incident.timeline.sort((a, b) => a.at - b.at);
    } else {
      append(incident, { at: now, kind: 'peak_utilization', text });
    }
    return true;
  }

  #resolve(tracked: Tracked, now: number, update: IncidentUpdate): void {
    const incident = tracked.incident;
    incident.state = 'resolved';
    incident.resolvedAt = now;
    for (const member of incident.alerts) member.resolvedAt ??= now;
    const minutes = Math.max(1, Math.round((now - incident.openedAt) / 60_000));
    const event: IncidentEvent = {
      at: now,
      kind: 'resolved',
      text: `Resolved after ${minutes} min`,
    };
    append(incident, event);
    update.events.push({ incident, event });
    this.#recent.unshift(incident);
    if (this.#recent.length > RECENT_INCIDENTS) this.#recent.length = RECENT_INCIDENTS;
  }
}

function addEvidence(evidence: Map<IncidentCause, number>, assessment: Assessment): void {
  if (assessment.findings.length === 0) {
    evidence.set('none', (evidence.get('none') ?? 0) + 1);
    return;
  }
  for (const finding of assessment.findings) {
    evidence.set(finding.cause, (evidence.get(finding.cause) ?? 0) + finding.score);
  }
}

function decay(tracked: Tracked, now: number): void {
  const elapsed = now - tracked.evidenceAt;
  tracked.evidenceAt = now;
  if (elapsed <= 0) return;
  const factor = 0.5 ** (elapsed / EVIDENCE_HALF_LIFE_MS);
  for (const [cause, score] of tracked.evidence) tracked.evidence.set(cause, score * factor);
}

/** Appends to the timeline, keeping its first and newest events past `TIMELINE_LIMIT`. */
function append(incident: Incident, event: IncidentEvent): void {
  incident.timeline.push(event);
  if (incident.timeline.length > TIMELINE_LIMIT) incident.timeline.splice(TIMELINE_LIMIT / 2, 1);
}

function highest(alerts: readonly ActiveAlert[]): Severity {
  return alerts.some((alert) => alert.severity === 'critical') ? 'critical' : 'warning';
}

/** `inc-<opened ms base 36>-<subject hash>`: one subject opens at most one incident per ms. */
function incidentId(subject: string, at: number): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < subject.length; index++) {
    hash = Math.imul(hash ^ subject.charCodeAt(index), 0x01000193);
  }
  return `inc-${Math.floor(at).toString(36)}-${(hash >>> 0).toString(36)}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
