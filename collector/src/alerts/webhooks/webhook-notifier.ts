import { maskWebhookUrl } from '@headroom/contract';
import type { Webhook } from '../../storage/types.js';
import type { IncidentNotice } from '../incidents/incident-notices.js';
import { DeliveryBound } from './delivery-bound.js';
import type { Resolve } from './pinned-lookup.js';
import { parseRetryAfter, retryDelay } from './retry-delay.js';
import { slackMessage, subjectLabel } from './slack-message.js';
import { type WebhookFetch, webhookFetch } from './webhook-fetch.js';
import { WebhookTargetError } from './webhook-target-error.js';

export interface WebhookNotifierOptions {
  /** By default one that refuses private, loopback and link-local targets (`webhookFetch`). */
  fetch?: WebhookFetch;
  /** Lets the default fetch reach loopback, private and carrier-grade NAT receivers. */
  allowPrivateWebhooks?: boolean;
  /** How the default fetch resolves names; tests pass one. */
  resolve?: Resolve;
  /** Deliveries per webhook and incident in any rolling minute. */
  maxPerAlertPerMinute?: number;
  /** Deliveries per webhook in any rolling minute, all incidents together. */
  maxPerWebhookPerMinute?: number;
  sleep?: (milliseconds: number) => Promise<void>;
  /** Attempts per notice, the first included. */
  maxAttempts?: number;
  /** The backoff's first ceiling; it doubles each attempt. */
  baseDelayMs?: number;
  /** No wait is longer, backoff or retry-after. */
  maxDelayMs?: number;
  /** A receiver that never answers must not hold a delivery forever. */
  timeoutMs?: number;
  /** In [0, 1): the jitter; tests pin it. */
  random?: () => number;
  /** For retry-after dates and the delivery bound's minute. */
  now?: () => number;
  log?: (line: string) => void;
}

/** Outcome of one attempt: delivered, failed for good, or worth another try. */
type Attempt =
  | { done: true }
  | { done: false; retry: boolean; reason: string; retryAfterMs?: number | undefined };

/**
 * Posts incident notices to their webhooks, Slack-style, with retries. `notify` never throws and
 * its promise never rejects; callers need not await it (the engine's loop must not wait on a slow
 * receiver), but may, e.g. in tests or before shutdown.
 */
export class WebhookNotifier {
  readonly #fetch: WebhookFetch;
  readonly #sleep: (milliseconds: number) => Promise<void>;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #timeoutMs: number;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  /** Deliveries under way, so `idle()` can wait for them. */
  readonly #pending = new Set<Promise<void>>();
  readonly #bound: DeliveryBound;

  constructor({
    allowPrivateWebhooks = false,
    resolve,
    fetch = webhookFetch({ allowPrivate: allowPrivateWebhooks, ...(resolve ? { resolve } : {}) }),
    maxPerAlertPerMinute = 6,
    maxPerWebhookPerMinute = 60,
    sleep = (milliseconds) => new Promise((wake) => setTimeout(wake, milliseconds)),
    maxAttempts = 5,
    baseDelayMs = 500,
    maxDelayMs = 60_000,
    timeoutMs = 10_000,
    random = Math.random,
    now = Date.now,
    log = (line) => console.warn(line),
  }: WebhookNotifierOptions = {}) {
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new TypeError(
        `Expected \`maxAttempts\` to be an integer from 1 and up, got ${maxAttempts}`,
      );
    }
    for (const [name, value] of Object.entries({ baseDelayMs, maxDelayMs, timeoutMs })) {
      if (!Number.isFinite(value) || value < 0)
        throw new TypeError(`Expected \`${name}\` to be a number from 0 and up, got ${value}`);
    }
    this.#fetch = fetch;
    this.#sleep = sleep;
    this.#maxAttempts = maxAttempts;
    this.#baseDelayMs = baseDelayMs;
    this.#maxDelayMs = maxDelayMs;
    this.#timeoutMs = timeoutMs;
    this.#random = random;
    this.#now = now;
    this.#log = log;
    this.#bound = new DeliveryBound({
      perAlert: maxPerAlertPerMinute,
      perWebhook: maxPerWebhookPerMinute,
      now,
    });
  }

  /** Notifications held back by the delivery bound since start. */
  get suppressed(): number {
    return this.#bound.suppressed;
  }

  /**
   * Sends each notice (what `IncidentNotices` found due) to its webhook, within the delivery
   * bound: a resolved notice of an incident whose opening was delivered always goes.
   */
  notify(notices: readonly IncidentNotice[]): Promise<void> {
    const deliveries: Promise<void>[] = [];
    for (const notice of notices) {
      const { webhook, incident, reason: why } = notice;
      const about = `${why.replace('_', ' ')} notice of incident ${incident.id} on ${subjectLabel(incident.subject)}`;
      try {
        const state = why === 'resolved' ? 'resolved' : 'firing';
        if (!this.#admit(webhook, incident.id, state, about)) continue;
        const body = JSON.stringify(slackMessage(notice));
        deliveries.push(this.#deliver(webhook, body, about));
      } catch (error) {
        this.#log(`webhook ${webhook.id}: ${about} not sent: ${reason(error, webhook.url)}`);
      }
    }
    if (deliveries.length === 0) return Promise.resolve();
    const delivery = Promise.all(deliveries).then(() => undefined);
    this.#pending.add(delivery);
    void delivery.finally(() => this.#pending.delete(delivery));
    return delivery;
  }

  #admit(webhook: Webhook, alert: string, state: 'firing' | 'resolved', about: string): boolean {
    const admission = this.#bound.admit(webhook.id, alert, state);
    if (admission.admitted) return true;
    if (admission.report !== undefined) {
      const { suppressedSinceLastReport: count } = admission.report;
      this.#log(
        `webhook ${webhook.id}: ${about} held back (${admission.reason}); ${count} of this incident held back since the last such line, which comes at most once a minute`,
      );
    }
    return false;
  }

  /** Resolves when every delivery started so far has ended (delivered or given up). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  async #deliver(webhook: Webhook, body: string, about: string): Promise<void> {
    try {
      for (let attempt = 1; ; attempt++) {
        const outcome = await this.#attempt(webhook, body);
        if (outcome.done) return;
        if (!outcome.retry) {
          this.#log(
            `webhook ${webhook.id}: ${outcome.reason}, not retried; ${about} not delivered`,
          );
          return;
        }
        if (attempt >= this.#maxAttempts) {
          this.#log(
            `webhook ${webhook.id}: gave up after ${attempt} attempts (${outcome.reason}); ${about} not delivered`,
          );
          return;
        }
        const delay = retryDelay({
          attempt,
          baseDelayMs: this.#baseDelayMs,
          maxDelayMs: this.#maxDelayMs,
          random: this.#random,
          retryAfterMs: outcome.retryAfterMs,
        });
        await this.#sleep(delay);
      }
    } catch (error) {
      // Only an injected sleep or random can throw here; a notifier must not.
      this.#log(`webhook ${webhook.id}: ${reason(error, webhook.url)}; ${about} not delivered`);
    }
  }

  async #attempt(webhook: Webhook, body: string): Promise<Attempt> {
    let response: Awaited<ReturnType<WebhookFetch>>;
    try {
      response = await this.#fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: 'manual',
      });
    } catch (error) {
      // A target refused now will be refused on every try.
      const refused = refusal(error);
      if (refused !== undefined) return { done: false, retry: false, reason: refused };
      return { done: false, retry: true, reason: reason(error, webhook.url) };
    }
    // Read the body to the end so the connection goes back to the pool.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { done: true };
    // A redirect could send the POST, and the alert, anywhere (RFC 9110 §15.4.8 lets a 307 keep
    // method and body): never followed, and it will say the same next time.
    if (response.status >= 300 && response.status < 400)
      return { done: false, retry: false, reason: `HTTP ${response.status} redirect not followed` };
    // 429 and 5xx are the receiver's trouble, and may pass; any other status will not (RFC 9110 §15.5).
    const retry = response.status === 429 || response.status >= 500;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#now());
    return { done: false, retry, reason: `HTTP ${response.status}`, retryAfterMs };
  }
}

/** The refusal's message when the target was refused, itself or as the cause of a failed fetch. */
function refusal(error: unknown): string | undefined {
  if (error instanceof WebhookTargetError) return error.message;
  if (error instanceof Error && error.cause instanceof WebhookTargetError)
    return error.cause.message;
  return undefined;
}

/** The log never carries the webhook's URL (for Slack it is the secret), even inside a message. */
function reason(error: unknown, url: string | undefined): string {
  let text = String(error);
  if (error instanceof Error) {
    const cause = (error.cause as { code?: unknown } | undefined)?.code;
    text = typeof cause === 'string' ? `${error.message} (${cause})` : error.message;
  }
  return url === undefined ? text : text.split(url).join(maskWebhookUrl(url));
}
