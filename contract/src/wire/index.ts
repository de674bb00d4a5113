/**
 * The collector's wire types: what its API and live stream answer with, and what it keeps. Types
 * only; the ones with a schema (ceilings, rules, webhooks) are inferred from it in `../api`.
 */
export type {
  Ceiling,
  CeilingInput,
  Rule,
  RuleInput,
  RuleKind,
  RuleSelector,
  Severity,
  Webhook,
  WebhookInput,
} from '../api/index.js';
export type * from './alerts.js';
export type * from './history.js';
export type * from './incidents.js';
export type * from './live.js';
export type * from './snapshot.js';
