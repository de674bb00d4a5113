/** What the collector keeps on disk. Ceilings, rules, webhooks and alert transitions are the API's own types. */

export type {
  AlertState,
  AlertTransition,
  Ceiling,
  Dimension,
  Incident,
  Rule,
  RuleKind,
  Severity,
  Webhook,
} from '@headroom/contract';

/** One minute of one key × provider × model, summed over replicas. */
export interface Rollup {
  minute: number;
  key: string;
  provider: string;
  model: string;
  requests: number;
  rateLimited: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Most calls in flight at once in the minute, those waiting in a guard included. */
  peakActive: number;
  replicas: number;
  /** Keys a guard is on: the most calls waiting in the guards at once in the minute. */
  peakGuardWaiting?: number;
  /** Keys a guard is on: the most calls at the provider at once in the minute. */
  peakActiveAtProvider?: number;
}
