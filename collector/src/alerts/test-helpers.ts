import type { Dimension, Rule } from '../storage/types.js';
import { DEFAULT_LIMITS, noneDropped } from '../view/limits.js';
import type {
  CeilingValue,
  GraphView,
  KeyView,
  NodeView,
  Snapshot,
  UtilizationDimension,
} from '../view/snapshot.js';

export const START = Date.UTC(2026, 10, 26, 9, 0, 0);

type KeyInput = Partial<Omit<KeyView, 'ceilings'>> & {
  ceilings?: Partial<Record<Dimension, number>>;
};

/**
 * A key view with everything at zero unless given. Configured ceilings are plain numbers, and
 * utilization is worked out from them as the view does, unless given.
 */
export function keyView({ ceilings = {}, utilization, ...fields }: KeyInput = {}): KeyView {
  const view: KeyView = {
    key: 'prod',
    provider: 'openai',
    model: 'gpt-4o-mini',
    requestsPerMinute: 0,
    observedSeconds: 60,
    peakRequestsPerSecond: 0,
    requestsPerMinuteBefore: 0,
    tokensPerMinuteBefore: 0,
    tokensPerMinute: 0,
    inputTokensPerMinute: 0,
    outputTokensPerMinute: 0,
    callsPerMinute: 0,
    rateLimitedPerMinute: 0,
    retryAmplification: null,
    activeCalls: 0,
    activeAtProvider: fields.activeCalls ?? 0,
    peakActiveCalls: 0,
    bursts: null,
    callsStartedPerMinute: fields.callsPerMinute ?? 0,
    peakCallsStartedPerSecond: 0,
    retriesPerMinute: { client: 0, framework: 0, app: 0 },
    budget: null,
    totals: { requests: 0, rateLimited: 0, calls: 0, inputTokens: 0, outputTokens: 0 },
    replicas: [],
    ...fields,
    ceilings: Object.fromEntries(
      Object.entries(ceilings).map(([dimension, value]): [string, CeilingValue] => [
        dimension,
        { value, source: 'configured' },
      ]),
    ),
    utilization: {},
  };
  view.utilization = utilization ?? utilizationOf(view);
  return view;
}

function utilizationOf(view: KeyView): Partial<Record<UtilizationDimension, number>> {
  const use: Record<Dimension, number> = {
    rpm: view.requestsPerMinute,
    tpm: view.tokensPerMinute,
    concurrency: view.activeAtProvider,
  };
  const utilization: Partial<Record<UtilizationDimension, number>> = {};
  for (const [dimension, ceiling] of Object.entries(view.ceilings) as Array<
    [Dimension, CeilingValue]
  >) {
    utilization[dimension] = use[dimension] / ceiling.value;
  }
  if (view.ceilings.rpm !== undefined)
    utilization.burst = view.peakRequestsPerSecond / (view.ceilings.rpm.value / 60);
  return utilization;
}

export function nodeView(fields: Partial<NodeView> = {}): NodeView {
  return {
    graph: 'agent',
    node: 'summarize',
    executionsPerSecond: 0,
    activeExecutions: 0,
    peakActiveExecutions: 0,
    burstSize: 0,
    callsPerMinute: 0,
    maxExecutionsPerRun: 0,
    keys: [],
    ...fields,
  };
}

export function graphView(fields: Partial<GraphView> = {}): GraphView {
  return { graph: 'agent', maxStepsPerRun: 0, recursionLimit: 25, ...fields };
}

export function snapshotOf(
  parts: { keys?: KeyView[]; nodes?: NodeView[]; graphs?: GraphView[]; time?: number } = {},
): Snapshot {
  return {
    time: parts.time ?? START,
    windowSeconds: 60,
    keys: parts.keys ?? [],
    nodes: parts.nodes ?? [],
    graphs: parts.graphs ?? [],
    edges: [],
    dropped: noneDropped(),
    limits: { ...DEFAULT_LIMITS },
  };
}

/** Replicas splitting a key's requests per minute as given, each at a steady pace. */
export function replicas(...requestsPerMinute: number[]): KeyView['replicas'] {
  const total = requestsPerMinute.reduce((sum, value) => sum + value, 0);
  return requestsPerMinute.map((value, index) => ({
    instance: `replica-${index}`,
    service: 'agent',
    requestsPerMinute: value,
    peakRequestsPerSecond: Math.ceil(value / 60),
    share: total > 0 ? value / total : 0,
    activeCalls: 0,
  }));
}

export function rule(fields: Partial<Rule> = {}): Rule {
  return {
    id: 'rpm-warning',
    name: 'RPM close to ceiling',
    kind: 'utilization',
    severity: 'warning',
    threshold: 0.8,
    forSeconds: 5,
    clearMargin: 0.05,
    selector: {},
    enabled: true,
    updatedAt: START,
    ...fields,
  };
}

/** `at` ms after START, one evaluation a second: `second(3)`. */
export function second(count: number): number {
  return START + count * 1000;
}
