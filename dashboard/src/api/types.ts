/**
 * The collector's wire types, copied from `@headroom/collector` (view/snapshot.ts,
 * view/history.ts, view/limits.ts, routes/live.ts, alerts/types.ts, alerts/diagnosis/types.ts, storage/types.ts)
 * so the dashboard builds without the collector package. Keep them in step by hand.
 */

export type Dimension = 'rpm' | 'tpm' | 'concurrency';
/** `burst` is the busiest recent second against the per-second share of rpm. */
export type UtilizationDimension = Dimension | 'burst';

export interface CeilingValue {
  value: number;
  /** `configured` by the API or the config file, or `learned` from the provider's headers. */
  source: 'configured' | 'learned';
}

export interface Replica {
  instance: string;
  service: string;
  requestsPerMinute: number;
  share: number;
  activeCalls: number;
}

export interface KeyView {
  key: string;
  provider: string;
  model: string;
  requestsPerMinute: number;
  /** Requests in the busiest of the last 10 seconds: providers enforce rpm/60 per second too. */
  peakRequestsPerSecond: number;
  requestsPerMinuteBefore: number;
  tokensPerMinuteBefore: number;
  tokensPerMinute: number;
  inputTokensPerMinute: number;
  outputTokensPerMinute: number;
  callsPerMinute: number;
  rateLimitedPerMinute: number;
  /** HTTP attempts per logical call; null with no calls in the window. */
  retryAmplification: number | null;
  activeCalls: number;
  peakActiveCalls: number;
  replicas: Replica[];
  ceilings: Partial<Record<Dimension, CeilingValue>>;
  /** use / ceiling per dimension that has a ceiling. */
  utilization: Partial<Record<UtilizationDimension, number>>;
  /** What the replicas' guards did, when any replica guards the key. */
  guard?: GuardView;
}

/** The guard on a key, over the window, summed over replicas. */
export interface GuardView {
  waiting: number;
  admittedPerMinute: number;
  delayedPerMinute: number;
  rejectedPerMinute: number;
  averageWaitSeconds: number | null;
}

export interface NodeView {
  graph: string;
  node: string;
  executionsPerSecond: number;
  activeExecutions: number;
  peakActiveExecutions: number;
  /** Most model calls the node had going within one second of the window. */
  burstSize: number;
  callsPerMinute: number;
  maxExecutionsPerRun: number;
}

export interface GraphView {
  graph: string;
  maxStepsPerRun: number;
  recursionLimit: number | null;
}

/** Node-to-node transitions observed in the last 60 s. */
export interface EdgeView {
  graph: string;
  from: string;
  to: string;
  count: number;
}

export interface Snapshot {
  time: number;
  windowSeconds: number;
  keys: KeyView[];
  nodes: NodeView[];
  graphs: GraphView[];
  /** Not sent by every collector version yet. */
  edges?: EdgeView[];
  /** Distinct entries the collector's limits turned away since it started; not sent by older collectors. */
  dropped?: Dropped;
  /** How much the collector holds of each kind; not sent by older collectors. */
  limits?: Limits;
}

/** The collector's limits (view/limits.ts): how many of each kind it holds at most. */
export interface Limits {
  series: number;
  nodes: number;
  graphs: number;
  replicas: number;
  replicasPerKey: number;
  edges: number;
  streams: number;
  idleSeconds: number;
}

/** What each limit turned away: distinct entries, not points. */
export type Dropped = Omit<Limits, 'idleSeconds'>;

export interface KeyHistory {
  key: string;
  provider: string;
  model: string;
  requestsPerMinute: number[];
  tokensPerMinute: number[];
  rateLimitedPerMinute: number[];
  /** HTTP attempts beyond the first of each call, per minute: the retries. */
  retriesPerMinute: number[];
  peakActiveCalls: number[];
}

export interface NodeHistory {
  graph: string;
  node: string;
  executionsPerSecond: number[];
  peakActiveCalls: number[];
}

/** Chart-ready columns, one value per second; `seconds` is the x axis. */
export interface History {
  seconds: number[];
  /** By `key|provider|model`. */
  keys: Record<string, KeyHistory>;
  /** By `graph|node`. */
  nodes: Record<string, NodeHistory>;
}

export type RuleKind =
  | 'utilization'
  | 'predictive'
  | 'rate_limited'
  | 'retry_amplification'
  | 'node_executions_per_run';

export type Severity = 'warning' | 'critical';

export type Cause = 'fan_out' | 'stacked_retries' | 'graph_loop' | 'batch_too_large' | 'shared_key';

export interface Fix {
  text: string;
  snippet: string;
}

export interface Diagnosis {
  /** `none` when no pattern's evidence is there: demand itself is near the ceiling. */
  cause: Cause | 'none';
  title: string;
  summary: string;
  evidence: Record<string, number | string>;
  fix: Fix;
  /** Other causes whose evidence is also there, strongest first. */
  alternatives: Cause[];
}

/** One alert that is pending or firing now: one rule on one series. */
export interface ActiveAlert {
  ruleId: string;
  ruleName: string;
  kind: RuleKind;
  /** e.g. `key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm`. */
  series: string;
  state: 'pending' | 'firing';
  severity: Severity;
  value: number;
  threshold: number;
  /** When it went pending (ms). */
  since: number;
  firingSince?: number;
  diagnosis?: Diagnosis;
}

export type AlertState = 'pending' | 'firing' | 'resolved';

export interface AlertTransition {
  sequence: number;
  ruleId: string;
  series: string;
  state: AlertState;
  severity: Severity;
  value: number;
  threshold: number;
  /** ms. */
  at: number;
  diagnosis?: unknown;
}

/** `GET /api/alerts`. */
export interface AlertsResponse {
  active: ActiveAlert[];
  history: AlertTransition[];
}

/** One `snapshot` event of `GET /api/live`. */
export interface LiveFrame {
  snapshot: Snapshot;
  history: History;
  alerts: ActiveAlert[];
}

export interface Ceiling {
  id: string;
  key: string;
  provider: string;
  model: string;
  rpm?: number;
  tpm?: number;
  concurrency?: number;
  note?: string;
  updatedAt: number;
}

export interface RuleSelector {
  key?: string;
  provider?: string;
  model?: string;
  graph?: string;
  node?: string;
}

export interface Rule {
  id: string;
  name: string;
  kind: RuleKind;
  severity: Severity;
  threshold: number;
  withinSeconds?: number;
  forSeconds: number;
  clearMargin: number;
  selector: RuleSelector;
  enabled: boolean;
  updatedAt: number;
}

export interface Webhook {
  id: string;
  /**
   * Masked by the collector, scheme and host only (`https://hooks.slack.com/…`): the path is the
   * webhook's secret. An update without `url` keeps the stored one.
   */
  url: string;
  /** Empty: all severities. */
  severities: Severity[];
  enabled: boolean;
  updatedAt: number;
}
