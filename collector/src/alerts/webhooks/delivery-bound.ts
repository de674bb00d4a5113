export interface DeliveryBoundOptions {
  /** Deliveries per webhook and incident in any rolling window. */
  perAlert?: number;
  /** Deliveries per webhook in any rolling window, all incidents together. */
  perWebhook?: number;
  windowMs?: number;
  now?: () => number;
}

export type Admission =
  | { admitted: true }
  | {
      admitted: false;
      reason: string;
      /** Set on the first refusal of an alert in a window: log one line; otherwise stay quiet. */
      report?: { suppressedSinceLastReport: number };
    };

interface AlertState {
  /** Times of deliveries still inside the window, oldest first. */
  sent: number[];
  /** The receiver was sent this alert firing and not yet resolved: the resolved one always goes. */
  open: boolean;
  /** Its firing was held back, so the resolved one is too: the receiver never saw it fire. */
  firingSuppressed: boolean;
  reportedAt: number | undefined;
  suppressedSinceLastReport: number;
}

/**
 * Alerts kept track of at most; past it the least recently notified is forgotten (its resolved
 * notification is then bounded like a firing one). Open alerts are few; this guards against rules
 * deleted while firing, whose alerts never resolve.
 */
const MAX_ALERTS = 10_000;

/**
 * Bounds deliveries per webhook: at most `perAlert` per alert and `perWebhook` in all in any
 * rolling window, so a flapping series or a storm of series cannot flood a receiver (Slack takes
 * about one message a second per webhook). A resolved notification of a firing one that was
 * delivered is never held back, and counts: closing what the receiver shows open matters more
 * than telling it of one more alert. What is held back is counted, and reported once a window
 * per alert.
 */
export class DeliveryBound {
  readonly #perAlert: number;
  readonly #perWebhook: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  /** By webhook id, then rule and series; insertion order is recency, for eviction. */
  readonly #alerts = new Map<string, AlertState>();
  /** Delivery times per webhook inside the window, oldest first; a webhook with none is dropped. */
  readonly #webhooks = new Map<string, number[]>();
  #suppressed = 0;
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor({
    perAlert = 6,
    perWebhook = 60,
    windowMs = 60_000,
    now = Date.now,
  }: DeliveryBoundOptions = {}) {
    for (const [name, value] of Object.entries({ perAlert, perWebhook })) {
      if (!Number.isInteger(value) || value < 1)
        throw new TypeError(`Expected \`${name}\` to be an integer from 1 and up, got ${value}`);
    }
    if (!Number.isFinite(windowMs) || windowMs <= 0)
      throw new TypeError(`Expected \`windowMs\` to be a number above 0, got ${windowMs}`);
    this.#perAlert = perAlert;
    this.#perWebhook = perWebhook;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Notifications held back since start. */
  get suppressed(): number {
    return this.#suppressed;
  }

  /** Whether a notification of `alert` (an incident id) to `webhookId` may go now; counts it if so. */
  admit(webhookId: string, alert: string, state: 'firing' | 'resolved'): Admission {
    const now = this.#now();
    const since = now - this.#windowMs;
    this.#sweep(now);
    const id = `${webhookId}\u0000${alert}`;
    const entry = this.#alerts.get(id) ?? {
      sent: [],
      open: false,
      firingSuppressed: false,
      reportedAt: undefined,
      suppressedSinceLastReport: 0,
    };
    // Delete and set again: the map's order is recency.
    this.#alerts.delete(id);
    this.#alerts.set(id, entry);
    if (this.#alerts.size > MAX_ALERTS) this.#alerts.delete(this.#alerts.keys().next().value!);
    drop(entry.sent, since);
    const webhook = this.#webhooks.get(webhookId) ?? [];
    this.#webhooks.set(webhookId, webhook);
    drop(webhook, since);

    let reason: string | undefined;
    if (state === 'resolved' && entry.open) reason = undefined;
    else if (state === 'resolved' && entry.firingSuppressed)
      reason = 'its firing notification was held back';
    else if (entry.sent.length >= this.#perAlert)
      reason = `${entry.sent.length} notifications of this incident in the last ${this.#seconds()} s, at most ${this.#perAlert}`;
    else if (webhook.length >= this.#perWebhook)
      reason = `${webhook.length} notifications to this webhook in the last ${this.#seconds()} s, at most ${this.#perWebhook}`;

    if (reason === undefined) {
      entry.sent.push(now);
      webhook.push(now);
      entry.open = state === 'firing';
      entry.firingSuppressed = false;
      return { admitted: true };
    }
    this.#suppressed++;
    entry.suppressedSinceLastReport++;
    if (state === 'firing') entry.firingSuppressed = true;
    else entry.firingSuppressed = false;
    if (entry.reportedAt !== undefined && entry.reportedAt > since)
      return { admitted: false, reason };
    const report = { suppressedSinceLastReport: entry.suppressedSinceLastReport };
    entry.reportedAt = now;
    entry.suppressedSinceLastReport = 0;
    return { admitted: false, reason, report };
  }

  #seconds(): number {
    return Math.round(this.#windowMs / 1000);
  }

  /**
   * Once a window: forget alerts with nothing in the window (sent or reported), nothing to close
   * and nothing held back still to report (their next line says how many), and idle webhooks.
   */
  #sweep(now: number): void {
    if (now - this.#sweptAt < this.#windowMs) return;
    this.#sweptAt = now;
    const since = now - this.#windowMs;
    for (const [id, entry] of this.#alerts) {
      drop(entry.sent, since);
      const reported = entry.reportedAt !== undefined && entry.reportedAt > since;
      const quiet = !entry.open && !entry.firingSuppressed && entry.suppressedSinceLastReport === 0;
      if (entry.sent.length === 0 && quiet && !reported) this.#alerts.delete(id);
    }
    for (const [id, times] of this.#webhooks) {
      drop(times, since);
      if (times.length === 0) this.#webhooks.delete(id);
    }
  }
}

/** Removes the times at or before `since` from the front of an ascending list. */
function drop(times: number[], since: number): void {
  let index = 0;
  while (index < times.length && times[index]! <= since) index++;
  if (index > 0) times.splice(0, index);
}
