import { type Incident, WEBHOOK_DEFAULTS } from '@headroom/contract';
import type { Severity, Webhook } from '../../storage/types.js';

export type NoticeReason = 'opened' | 'severity_raised' | 'cause_changed' | 'reminder' | 'resolved';

/** One message to send: this incident, to this webhook, for this reason. */
export interface IncidentNotice {
  webhook: Webhook;
  incident: Incident;
  reason: NoticeReason;
  at: number;
}

interface Told {
  severity: Severity;
  cause: Incident['cause'];
  lastSentAt: number;
}

const SEVERITY_RANK: Record<Severity, number> = { warning: 1, critical: 2 };

/**
 * Decides, per webhook, which incidents to tell it of and when, the way Alertmanager groups: the
 * first message once an incident has been open for the webhook's group wait (so what the first
 * seconds brought, a second alert, a higher severity, is in it), then one when its severity rises
 * or its cause changes, a reminder when nothing was sent for the repeat interval, and one when it
 * resolves, if the webhook was told it opened. An incident resolved within the group wait is never
 * sent. A webhook that takes only some severities is told of an incident once it reaches one.
 *
 * Pure: the same incidents, webhooks and times give the same notices. Bounded: one entry per
 * webhook × open incident it was told of.
 */
export class IncidentNotices {
  /** By webhook id, then incident id. */
  readonly #told = new Map<string, Map<string, Told>>();

  /**
   * The notices due now. `open` are the incidents open after this evaluation, `resolved` those
   * that resolved in it.
   */
  due(
    webhooks: readonly Webhook[],
    open: readonly Incident[],
    resolved: readonly Incident[],
    now: number,
  ): IncidentNotice[] {
    const notices: IncidentNotice[] = [];
    const live = new Set(webhooks.map((webhook) => webhook.id));
    const current = new Set(open.map((incident) => incident.id));
    for (const id of this.#told.keys()) if (!live.has(id)) this.#told.delete(id);
    for (const webhook of webhooks) {
      let told = this.#told.get(webhook.id);
      if (!webhook.enabled) {
        this.#told.delete(webhook.id);
        continue;
      }
      const groupWait = (webhook.groupWaitSeconds ?? WEBHOOK_DEFAULTS.groupWaitSeconds) * 1000;
      const repeat =
        (webhook.repeatIntervalSeconds ?? WEBHOOK_DEFAULTS.repeatIntervalSeconds) * 1000;
      const updates = webhook.sendUpdates ?? WEBHOOK_DEFAULTS.sendUpdates;
      const resolvedToo = webhook.sendResolved ?? WEBHOOK_DEFAULTS.sendResolved;
      const takes = (severity: Severity) =>
        webhook.severities.length === 0 || webhook.severities.includes(severity);
      const send = (incident: Incident, reason: NoticeReason) => {
        notices.push({ webhook, incident, reason, at: now });
        if (told === undefined) {
          told = new Map();
          this.#told.set(webhook.id, told);
        }
        told.set(incident.id, {
          severity: incident.severity,
          cause: incident.cause,
          lastSentAt: now,
        });
      };

      for (const incident of open) {
        const before = told?.get(incident.id);
        if (before === undefined) {
          if (takes(incident.severity) && now - incident.openedAt >= groupWait)
            send(incident, 'opened');
          continue;
        }
        if (updates && SEVERITY_RANK[incident.severity] > SEVERITY_RANK[before.severity]) {
          send(incident, 'severity_raised');
        } else if (updates && incident.cause !== before.cause) {
          send(incident, 'cause_changed');
        } else if (now - before.lastSentAt >= repeat) {
          send(incident, 'reminder');
        }
      }
      for (const incident of resolved) {
        if (told?.get(incident.id) === undefined) continue;
        told.delete(incident.id);
        if (resolvedToo) notices.push({ webhook, incident, reason: 'resolved', at: now });
      }
      // Incidents neither open nor just resolved (resolved while this webhook was off): forgotten.
      if (told !== undefined) {
        for (const id of told.keys()) if (!current.has(id)) told.delete(id);
        if (told.size === 0) this.#told.delete(webhook.id);
      }
    }
    return notices;
  }
}
