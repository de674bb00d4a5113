/** `GET /api/snapshot` and every live frame's `snapshot`: the view now, over the sliding window. */

/** A ceiling's dimensions: requests and tokens per minute, calls in flight. */
export type Dimension = 'rpm' | 'tpm' | 'concurrency';

/** Utilization per dimension; `burst` is the busiest recent second against the per-second share of rpm. */
export type UtilizationDimension = Dimension | 'burst';

export interface CeilingValue {
  value: number;
  /** `configured` by the API or the config file, or `learned` from the provider's headers. */
  source: 'configured' | 'learned';
}

/** Counts since the collector first saw the key, never windowed: Prometheus counters, totals. */
export interface KeyTotals {
  requests: number;
  rateLimited: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

/** One replica (`service.instance.id`) on a key. */
export interface ReplicaView {
  instance: string;
  service: string;
  requestsPerMinute: number;
  /** The replica's own busiest of the last 10 seconds. */
  peakRequestsPerSecond: number;
  share: number;
  activeCalls: number;
}

/** The guard on a key, over the window, summed over replicas. */
export interface GuardView {
  /** Calls waiting now, at each replica's last export. */
  waiting: number;
  /** HTTP attempts let go, at once or after a wait. */
  admittedPerMinute: number;
  /** Of those, the ones that waited. */
  delayedPerMinute: number;
  /** Calls refused without being sent (full queue, timeout). */
  rejectedPerMinute: number;
  /** Mean wait of an admitted attempt, in seconds; null with none in the window. */
  averageWaitSeconds: number | null;
}

/**
 * Retries seen over the window, per minute, by the layer that made them (`headroom.retries`):
 * the client resending inside one request, a framework (LangChain) asking its client again, the
 * app starting an identical call again. Zeros when no replica reports them (an app instrumented
 * without Headroom's SDK shows only the attempts per call).
 */
export interface RetryLayers {
  client: number;
  framework: number;
  app: number;
}

/**
 * The bursts of logical calls a key started over the window: runs of at most 3 seconds that
 * each start at least the quota's per-second share (rpm/60, from 3 to 10; 10 with no rpm
 * ceiling) with as many in flight together. Batches are a regular train of them.
 */
export interface CallBursts {
  count: number;
  /** Median calls started per burst. */
  size: number;
  /** Median seconds from one burst's start to the next; null with fewer than two. */
  periodSeconds: number | null;
  /** Share of the seconds from the first burst to the last with calls in flight. */
  dutyCycle: number;
  /**
   * Share of the gaps from one burst to the next with no second seen idle (nothing in flight):
   * 1 when each burst goes out as soon as the one before is done (batches in a loop), 0 when
   * there is idle time before each (batches with a pause, or pieces of work of their own).
   */
  backToBack: number;
  /**
   * At least 3 bursts, three quarters of them of similar sizes (±30 %) at similar intervals
   * (±50 %), and no sustained run.
   */
  regular: boolean;
}

/**
 * Several key names that draw on one provider budget: OpenAI enforces limits per organization
 * and project (and model), not per key. Known from the `openai-organization` / `openai-project`
 * headers the keys reported (`organization`), or inferred when keys that report none have equal
 * learned ceilings and each one's `limit − remaining` matches the requests of them all within
 * 10 % and not its own (`remaining`).
 */
export interface KeyBudget {
  /** `organization=org-demo|project=proj-b|provider=openai|model=gpt-4o-mini`, or `remaining=key-a,key-b|provider=…|model=…`. */
  id: string;
  source: 'organization' | 'remaining';
  /** The organization and project the keys named (`organization` budgets only). */
  organization?: string;
  project?: string;
  /** The key names on it (same provider and model), sorted. */
  keys: string[];
  /** Summed over its keys. */
  requestsPerMinute: number;
  tokensPerMinute: number;
}

/** One key × provider × model, summed over all replicas. */
export interface KeyView {
  key: string;
  provider: string;
  model: string;
  requestsPerMinute: number;
  /** Seconds of the window the key has been seen in (60 once it is a minute old): per-second averages divide by this. */
  observedSeconds: number;
  /** Requests in the busiest of the last 10 seconds: providers enforce rpm/60 per second too. */
  peakRequestsPerSecond: number;
  /** The same 60 s sums taken 15 s ago, for the slope of use. */
  requestsPerMinuteBefore: number;
  tokensPerMinuteBefore: number;
  tokensPerMinute: number;
  inputTokensPerMinute: number;
  outputTokensPerMinute: number;
  callsPerMinute: number;
  rateLimitedPerMinute: number;
  /** HTTP attempts per logical call; null with no calls in the window. */
  retryAmplification: number | null;
  /** Logical calls started and not ended, at each replica's last export: those waiting in a guard included. */
  activeCalls: number;
  /**
   * Of those, the ones at the provider: `activeCalls` less what waits in the replicas' guards.
   * The concurrency ceiling and its utilization are against this.
   */
  activeAtProvider: number;
  peakActiveCalls: number;
  /**
   * The bursts of calls started in the window, fleet-wide; null when the exports are too sparse
   * to tell seconds apart (less than 80 % of the seconds carry one).
   */
  bursts: CallBursts | null;
  /** Logical calls started over the window: those ended plus the rise in flight. */
  callsStartedPerMinute: number;
  /** The most logical calls started in one second over the window. */
  peakCallsStartedPerSecond: number;
  retriesPerMinute: RetryLayers;
  /** Counts since the collector first saw the key: requests are HTTP attempts, 429s included. */
  totals: KeyTotals;
  replicas: ReplicaView[];
  ceilings: Partial<Record<Dimension, CeilingValue>>;
  /** use / ceiling per dimension that has a ceiling. */
  utilization: Partial<Record<UtilizationDimension, number>>;
  /** What the replicas' guards did, when any replica guards the key (`guard` in the SDK). */
  guard?: GuardView;
  /** The budget the key shares with other key names; null when it shares none the collector sees. */
  budget: KeyBudget | null;
}

export type KeyRef = Pick<KeyView, 'key' | 'provider' | 'model'>;

/** One graph × node. */
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
  /** The keys the node's model calls went to in the window. */
  keys: KeyRef[];
}

export interface GraphView {
  graph: string;
  maxStepsPerRun: number;
  recursionLimit: number | null;
}

/** Node-to-node transitions observed in the window (from node spans). */
export interface EdgeView {
  graph: string;
  from: string;
  to: string;
  /** Transitions in the window. */
  count: number;
}

/**
 * How much the collector holds, per kind of state that grows with the data. When a kind is full,
 * the least recently seen entry makes room if it has been silent long enough; otherwise the new
 * entry is dropped and counted in `Dropped`.
 */
export interface Limits {
  /** Key × provider × model series. */
  series: number;
  /** Graph × node series. */
  nodes: number;
  /** Graphs (supersteps per run). */
  graphs: number;
  /** Replicas (`service.instance.id`) the view knows, over all keys. */
  replicas: number;
  /** Replicas listed on one key. */
  replicasPerKey: number;
  /** Node-to-node edges. */
  edges: number;
  /** Cumulative counter streams (replica × metric × attributes) diffed into increments. */
  streams: number;
  /** Seconds without data after which a series, node, graph, replica or stream is evicted. */
  idleSeconds: number;
}

/** What each limit turned away since the collector started: distinct entries, not points. */
export type Dropped = Omit<Limits, 'idleSeconds'>;

export interface Snapshot {
  /** ms. */
  time: number;
  windowSeconds: number;
  keys: KeyView[];
  nodes: NodeView[];
  graphs: GraphView[];
  /** Node-to-node transitions observed in the window. */
  edges: EdgeView[];
  /** Distinct series, nodes, replicas, edges and streams the limits turned away since the start. */
  dropped: Dropped;
  /** How much the collector holds of each kind (`limits` of its options). */
  limits: Limits;
}
