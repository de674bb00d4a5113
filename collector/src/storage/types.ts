/** What the collector keeps on disk. A `*` in key, provider or model matches anything. */

export type Dimension = 'rpm' | 'tpm' | 'concurrency';

export interface Ceiling {
  id: string;
  key: string;
  provider: string;
  model: string;
  rpm?: number;
  tpm?: number;
  concurrency?: number;
  /** Free text shown beside the ceiling. */
  note?: string;
  updatedAt: number;
}

export type RuleKind =
  | 'utilization' // use / ceiling at or above `threshold` (0..1) on any dimension
  | 'predictive' // at the current slope the ceiling is reached within `withinSeconds`
  | 'rate_limited' // any 429 in the window (threshold: 429s per minute, default 0, so any)
  | 'retry_amplification' // HTTP attempts / logical calls above `threshold` (default 1.5)
  | 'node_executions_per_run'; // executions of a node in one run above `threshold`

export type Severity = 'warning' | 'critical';

export interface Rule {
  id: string;
  name: string;
  kind: RuleKind;
  severity: Severity;
  threshold: number;
  /** Predictive rules: how far ahead to look. */
  withinSeconds?: number;
  /** How long the condition must hold before pending becomes firing. */
  forSeconds: number;
  /** Hysteresis: the value must fall below threshold × (1 − this) to resolve (default 0.05). */
  clearMargin: number;
  /** Which series the rule applies to; absent fields match everything. */
  selector: { key?: string; provider?: string; model?: string; graph?: string; node?: string };
  enabled: boolean;
  updatedAt: number;
}

export interface Webhook {
  id: string;
  url: string;
  /** Only alerts of these severities are sent; empty: all. */
  severities: Severity[];
  enabled: boolean;
  updatedAt: number;
}

export type AlertState = 'pending' | 'firing' | 'resolved';

export interface AlertTransition {
  /** Monotonic, assigned by the store. */
  sequence: number;
  ruleId: string;
  /** The series the alert is about, e.g. `key=prod|provider=openai|model=gpt-4o-mini`. */
  series: string;
  state: AlertState;
  severity: Severity;
  value: number;
  threshold: number;
  at: number;
  /** The diagnosis when firing: cause, evidence and fix (JSON). */
  diagnosis?: unknown;
}

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
  peakActive: number;
  replicas: number;
}
