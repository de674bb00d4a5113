import {
  type ActiveAlert,
  AlertEngine,
  IncidentNotices,
  IncidentTracker,
  type TransitionDraft,
  WebhookNotifier,
} from './alerts/index.js';
import { matchCeilings } from './ceilings/match-ceilings.js';
import type { Store } from './storage/index.js';
import type { AlertTransition, Ceiling, Incident, Rollup, Rule, Webhook } from './storage/types.js';
import type { Limits } from './view/limits.js';
import { type Snapshot, snapshot } from './view/snapshot.js';
import { View } from './view/view.js';

export interface CollectorOptions {
  /** The clock (ms); tests pass a fake one. */
  now?: () => number;
  /** Where ceilings, rules, webhooks and alert history live. Without one, nothing is kept. */
  store?: Store;
  /** Delivers alerts to webhooks; by default a real one, with retries. */
  notifier?: WebhookNotifier;
  /**
   * Lets webhooks target loopback, private and carrier-grade NAT addresses, when saved and
   * delivered (the default notifier's); for local receivers and tests. Link-local stays refused.
   */
  allowPrivateWebhooks?: boolean;
  /** One line per notable event. */
  log?: (line: string) => void;
  /** How much the live view holds of each kind (series, nodes, replicas, …); see `Limits`. */
  limits?: Partial<Limits>;
  /** Attributes that name the keys of data without `headroom.key` (see keyName). */
  keyAttributes?: readonly string[];
}

/** Alert transitions kept in memory when there is no store (tests, `--data` less runs). */
const MEMORY_HISTORY = 1000;

/**
 * The collector's state: the live view, and the ceilings, rules and webhooks of its store,
 * cached in memory and refreshed after every write through the API.
 */
export class Collector {
  readonly view: View;
  readonly store: Store | undefined;
  readonly allowPrivateWebhooks: boolean;
  #ceilings: readonly Ceiling[] = [];
  #rules: readonly Rule[] = [];
  #webhooks: readonly Webhook[] = [];
  #configVersion = 0;
  // The incidents decide the diagnosis every alert of one carries.
  readonly #engine = new AlertEngine({ diagnose: false });
  readonly #incidents = new IncidentTracker();
  readonly #notices = new IncidentNotices();
  readonly #notifier: WebhookNotifier;
  readonly #log: (line: string) => void;
  #active: ActiveAlert[] = [];
  #alertVersion = 0;
  readonly #memoryHistory: AlertTransition[] = [];
  #lastRollupMinute: number | undefined;

  constructor({
    now = Date.now,
    store,
    notifier,
    allowPrivateWebhooks = false,
    log = () => {},
    limits,
    keyAttributes,
  }: CollectorOptions = {}) {
    this.view = new View({
      now,
      ...(limits ? { limits } : {}),
      ...(keyAttributes ? { keyAttributes } : {}),
    });
    this.store = store;
    this.allowPrivateWebhooks = allowPrivateWebhooks;
    this.#log = log;
    this.#notifier = notifier ?? new WebhookNotifier({ log, now, allowPrivateWebhooks });
    this.reload();
    if (store) {
      this.#incidents.restore(
        [
          ...store.listIncidents({ state: 'open' }),
          ...store.listIncidents({ state: 'resolved', limit: 200 }),
        ],
        now(),
      );
    }
  }

  /** Reads ceilings, rules and webhooks from the store again (after a write). */
  reload(): void {
    this.#ceilings = this.store?.listCeilings() ?? [];
    this.#rules = this.store?.listRules() ?? [];
    this.#webhooks = this.store?.listWebhooks() ?? [];
    this.#configVersion++;
  }

  get ceilings(): readonly Ceiling[] {
    return this.#ceilings;
  }

  get rules(): readonly Rule[] {
    return this.#rules;
  }

  get webhooks(): readonly Webhook[] {
    return this.#webhooks;
  }

  /** Changes whenever anything the live stream shows changes. */
  get version(): number {
    return this.view.version + this.#configVersion + this.#alertVersion;
  }

  /** Alerts pending or firing now. */
  activeAlerts(): ActiveAlert[] {
    return this.#active;
  }

  /** Incidents open now, most severe first. */
  openIncidents(): Incident[] {
    return this.#incidents.open();
  }

  /** Resolved incidents, newest first; `since` (ms) keeps those resolved from then on. */
  recentIncidents({ since, limit = 100 }: { since?: number; limit?: number } = {}): Incident[] {
    const recent = this.#incidents.recent();
    const kept = since === undefined ? recent : recent.filter((i) => (i.resolvedAt ?? 0) >= since);
    return kept.slice(0, limit);
  }

  /**
   * Evaluates every rule against the view now (about once a second), folds the alerts into
   * incidents, and tells webhooks of the incidents whose notices are due. Transitions and
   * incidents are stored before any webhook is told, so history never misses what was sent.
   */
  evaluate(): TransitionDraft[] {
    const now = this.view.now();
    const snapshot = this.snapshot();
    const evaluation = this.#engine.evaluate(snapshot, this.#rules, now);
    const incidents = this.#incidents.update(evaluation, snapshot, now);
    this.#active = evaluation.active;
    if (incidents.changed.length > 0) {
      this.#alertVersion++;
      this.store?.putIncidents(incidents.changed);
      for (const { incident, event } of incidents.events) {
        this.#log(`incident ${incident.id} on ${incident.subject}: ${event.text}`);
      }
    }
    // Each transition is stored before any webhook is told of its incident.
    if (evaluation.transitions.length > 0) this.#alertVersion++;
    for (const draft of evaluation.transitions) {
      const transition = this.#record(draft);
      if (transition.state !== 'pending') {
        this.#log(
          `alert ${transition.state}: ${transition.ruleId} on ${transition.series} (value ${transition.value}, threshold ${transition.threshold})`,
        );
      }
    }
    const resolved = incidents.events
      .filter(({ event }) => event.kind === 'resolved')
      .map(({ incident }) => incident);
    const notices = this.#notices.due(this.#webhooks, this.#incidents.open(), resolved, now);
    if (notices.length > 0) void this.#notifier.notify(notices);
    return evaluation.transitions;
  }

  #record(draft: TransitionDraft): AlertTransition {
    if (this.store) return this.store.appendTransition({ ...draft, at: Math.floor(draft.at) });
    const transition = { ...draft, sequence: (this.#memoryHistory[0]?.sequence ?? 0) + 1 };
    this.#memoryHistory.unshift(transition);
    this.#memoryHistory.length = Math.min(this.#memoryHistory.length, MEMORY_HISTORY);
    return transition;
  }

  /** Alert history, newest first. */
  transitions(
    query: {
      since?: number;
      limit?: number;
      ruleId?: string;
      state?: AlertTransition['state'];
    } = {},
  ): AlertTransition[] {
    if (this.store) return this.store.listTransitions(query);
    return this.#memoryHistory
      .filter(
        (transition) =>
          (query.since === undefined || transition.sequence > query.since) &&
          (query.ruleId === undefined || transition.ruleId === query.ruleId) &&
          (query.state === undefined || transition.state === query.state),
      )
      .slice(0, query.limit ?? 100);
  }

  /**
   * Writes the minutes that ended since the last call as 1-minute rollups (kept 7 days), one row
   * per key × provider × model that saw traffic.
   */
  rollup(): Rollup[] {
    const currentMinute = Math.floor(this.view.second() / 60);
    const from =
      this.#lastRollupMinute === undefined ? currentMinute - 1 : this.#lastRollupMinute + 1;
    const rows = this.minuteRows(from, currentMinute - 1);
    this.#lastRollupMinute = currentMinute - 1;
    if (rows.length > 0) this.store?.addRollups(rows);
    return rows;
  }

  /** The last minute `rollup()` wrote (epoch minutes); undefined before its first run. */
  get lastRollupMinute(): number | undefined {
    return this.#lastRollupMinute;
  }

  /**
   * The rollup rows of the minutes `fromMinute` to `toMinute` (epoch minutes, both ended), from
   * the live view: the minutes it still holds (the last hour), nothing of older ones. A row for
   * each key × provider × model with anything in the minute: requests, calls, or calls in flight.
   */
  minuteRows(fromMinute: number, toMinute: number): Rollup[] {
    const rows: Rollup[] = [];
    const oldest = Math.floor(this.view.second() / 60) - 59;
    for (let minute = Math.max(fromMinute, oldest); minute <= toMinute; minute++) {
      const last = minute * 60 + 59;
      for (const series of this.view.keys.values()) {
        const requests = series.requests.sum(last, 60);
        const calls = series.calls.sum(last, 60);
        const peakActive = Math.round(series.peakActive.peak(last, 60));
        const guard = series.guard;
        const peakGuardWaiting = guard && Math.round(guard.waiting.peak(last, 60));
        const peakActiveAtProvider = guard && Math.round(guard.atProvider.peak(last, 60));
        if (
          requests === 0 &&
          calls === 0 &&
          peakActive === 0 &&
          !peakGuardWaiting &&
          !peakActiveAtProvider
        )
          continue;
        rows.push({
          minute: minute * 60_000,
          key: series.key,
          provider: series.provider,
          model: series.model,
          requests: Math.round(requests),
          rateLimited: Math.round(series.rateLimited.sum(last, 60)),
          calls: Math.round(calls),
          inputTokens: Math.round(series.inputTokens.sum(last, 60)),
          outputTokens: Math.round(series.outputTokens.sum(last, 60)),
          peakActive,
          replicas: [...series.replicas.values()].filter(
            (share) => share.requests.sum(last, 60) > 0,
          ).length,
          ...(guard !== undefined && {
            peakGuardWaiting: peakGuardWaiting!,
            peakActiveAtProvider: peakActiveAtProvider!,
          }),
        });
      }
    }
    return rows;
  }

  /** Webhook notifications the delivery bound held back since start. */
  get webhookNotificationsSuppressed(): number {
    return this.#notifier.suppressed;
  }

  /** Waits for webhook deliveries under way (before shutting down). */
  idle(): Promise<void> {
    return this.#notifier.idle();
  }

  snapshot(): Snapshot {
    const ceilings = this.#ceilings;
    return snapshot(this.view, (key, provider, model) =>
      matchCeilings(ceilings, key, provider, model),
    );
  }
}
