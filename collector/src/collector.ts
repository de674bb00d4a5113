import { matchCeilings } from './ceilings/match-ceilings.js';
import type { Store } from './storage/index.js';
import type { Ceiling, Rule, Webhook } from './storage/types.js';
import { type Snapshot, snapshot } from './view/snapshot.js';
import { View } from './view/view.js';

export interface CollectorOptions {
  /** The clock (ms); tests pass a fake one. */
  now?: () => number;
  /** Where ceilings, rules, webhooks and alert history live. Without one, nothing is kept. */
  store?: Store;
}

/**
 * The collector's state: the live view, and the ceilings, rules and webhooks of its store,
 * cached in memory and refreshed after every write through the API.
 */
export class Collector {
  readonly view: View;
  readonly store: Store | undefined;
  #ceilings: readonly Ceiling[] = [];
  #rules: readonly Rule[] = [];
  #webhooks: readonly Webhook[] = [];
  #configVersion = 0;

  constructor({ now = Date.now, store }: CollectorOptions = {}) {
    this.view = new View({ now });
    this.store = store;
    this.reload();
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
    return this.view.version + this.#configVersion;
  }

  /** Alerts pending or firing now. */
  activeAlerts(): unknown[] {
    return [];
  }

  snapshot(): Snapshot {
    const ceilings = this.#ceilings;
    return snapshot(this.view, (key, provider, model) =>
      matchCeilings(ceilings, key, provider, model),
    );
  }
}
