import type {
  AlertState,
  AlertTransition,
  Ceiling,
  Incident,
  Rollup,
  Rule,
  Webhook,
} from './types.js';

export interface TransitionQuery {
  /** Only transitions after this sequence (exclusive): what a client that has `since` lacks. */
  since?: number;
  /** Default 100; above 1000 is read as 1000. */
  limit?: number;
  ruleId?: string;
  state?: AlertState;
}

export interface RollupQuery {
  /** First minute included. */
  from: number;
  /** First minute excluded, so consecutive ranges never overlap. */
  to: number;
  key?: string;
  provider?: string;
  model?: string;
}

/** What the collector keeps on disk; every method is synchronous and durable when it returns. */
export interface Store {
  /** The SQLite file. */
  readonly path: string;

  listCeilings(): Ceiling[];
  getCeiling(id: string): Ceiling | undefined;
  /** Inserts or replaces by id; throws `CeilingConflictError` if another id holds the triple. */
  putCeiling(ceiling: Ceiling): Ceiling;
  deleteCeiling(id: string): boolean;

  listRules(): Rule[];
  getRule(id: string): Rule | undefined;
  putRule(rule: Rule): Rule;
  deleteRule(id: string): boolean;

  listWebhooks(): Webhook[];
  getWebhook(id: string): Webhook | undefined;
  putWebhook(webhook: Webhook): Webhook;
  deleteWebhook(id: string): boolean;

  appendTransition(transition: Omit<AlertTransition, 'sequence'>): AlertTransition;
  /** Newest first. */
  listTransitions(query?: TransitionQuery): AlertTransition[];
  /** Deletes transitions whose `at` is before `olderThan`; returns how many. */
  pruneTransitions(olderThan: number): number;

  /** Inserts or replaces each by id, all in one transaction. */
  putIncidents(incidents: readonly Incident[]): void;
  /** Open ones (all, newest first), or resolved ones (newest first, `limit` default 100, at most 1000). */
  listIncidents(query: { state: 'open' | 'resolved'; limit?: number }): Incident[];
  /** Deletes resolved incidents resolved before `olderThan`; returns how many. */
  pruneIncidents(olderThan: number): number;

  /** Upserts by minute × key × provider × model, all rows in one transaction. */
  addRollups(rows: readonly Rollup[]): void;
  /** Ordered by minute, then key, provider and model. */
  queryRollups(query: RollupQuery): Rollup[];
  /** Deletes rollups whose minute is before `olderThan`; returns how many. */
  pruneRollups(olderThan: number): number;

  close(): void;
}
