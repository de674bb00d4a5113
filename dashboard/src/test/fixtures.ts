import type { ActiveAlert, History, KeyView, LiveFrame, Snapshot } from '@headroom/contract/wire';
import type { EventSourceLike } from '../live/live-store';

export function keyView(overrides: Partial<KeyView> = {}): KeyView {
  return {
    key: 'prod',
    provider: 'openai',
    model: 'gpt-4o-mini',
    requestsPerMinute: 420,
    observedSeconds: 60,
    peakRequestsPerSecond: 12,
    requestsPerMinuteBefore: 380,
    tokensPerMinuteBefore: 150_000,
    tokensPerMinute: 182_400,
    inputTokensPerMinute: 150_000,
    outputTokensPerMinute: 32_400,
    callsPerMinute: 336,
    rateLimitedPerMinute: 3,
    retryAmplification: 1.25,
    activeCalls: 7,
    activeAtProvider: 7,
    peakActiveCalls: 18,
    bursts: null,
    callsStartedPerMinute: 336,
    peakCallsStartedPerSecond: 12,
    retriesPerMinute: { client: 84, framework: 0, app: 0 },
    budget: null,
    totals: {
      requests: 4_200,
      rateLimited: 30,
      calls: 3_360,
      inputTokens: 1_500_000,
      outputTokens: 324_000,
    },
    replicas: [
      {
        instance: 'pod-a',
        service: 'agent',
        requestsPerMinute: 280,
        peakRequestsPerSecond: 8,
        share: 0.667,
        activeCalls: 5,
      },
      {
        instance: 'pod-b',
        service: 'agent',
        requestsPerMinute: 140,
        peakRequestsPerSecond: 4,
        share: 0.333,
        activeCalls: 2,
      },
    ],
    ceilings: {
      rpm: { value: 500, source: 'learned' },
      tpm: { value: 200_000, source: 'configured' },
    },
    utilization: { rpm: 0.84, tpm: 0.912, burst: 1.44 },
    ...overrides,
  };
}

export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    time: 1_700_000_000_000,
    windowSeconds: 60,
    keys: [],
    nodes: [],
    graphs: [],
    edges: [],
    dropped: {
      series: 0,
      nodes: 0,
      graphs: 0,
      replicas: 0,
      replicasPerKey: 0,
      edges: 0,
      streams: 0,
    },
    limits: {
      series: 50_000,
      nodes: 10_000,
      graphs: 1_000,
      replicas: 10_000,
      replicasPerKey: 1_000,
      edges: 10_000,
      streams: 1_000_000,
      idleSeconds: 3600,
    },
    ...overrides,
  };
}

export function alert(overrides: Partial<ActiveAlert> = {}): ActiveAlert {
  return {
    ruleId: 'default-utilization-critical',
    ruleName: 'Utilization at 95% of a ceiling',
    kind: 'utilization',
    series: 'key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm',
    state: 'firing',
    severity: 'critical',
    value: 0.97,
    threshold: 0.95,
    since: 1_700_000_000_000,
    firingSince: 1_700_000_010_000,
    ...overrides,
  };
}

/** History of one key over consecutive seconds from `from`, with the given requests per minute. */
export function keyHistory(
  from: number,
  requests: number[],
  id = 'prod|openai|gpt-4o-mini',
): History {
  const [key = '', provider = '', model = ''] = id.split('|');
  return {
    seconds: requests.map((_, index) => from + index),
    keys: {
      [id]: {
        key,
        provider,
        model,
        requestsPerMinute: requests,
        tokensPerMinute: requests.map((value) => value * 100),
        rateLimitedPerMinute: requests.map(() => 0),
        retriesPerMinute: requests.map(() => 0),
        peakActiveCalls: requests.map(() => 1),
      },
    },
    nodes: {},
  };
}

/** A guarded key's history: calls in flight, waiting in the guard, and at the provider. */
export function guardedHistory(
  seconds: number[],
  columns: { peak: number[]; waiting: number[]; atProvider: number[] },
  id = 'guarded|openai|gpt-4o-mini',
): History {
  const history = keyHistory(seconds[0]!, columns.peak, id);
  history.seconds = seconds;
  const key = history.keys[id]!;
  key.peakActiveCalls = columns.peak;
  key.guardWaiting = columns.waiting;
  key.activeAtProvider = columns.atProvider;
  return history;
}

/** A stand-in for the browser's EventSource: the test opens, fails and feeds it. */
export class FakeEventSource implements EventSourceLike {
  static readonly instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  readonly #listeners: Array<(event: MessageEvent) => void> = [];

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(_type: 'snapshot', listener: (event: MessageEvent) => void): void {
    this.#listeners.push(listener);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  /** The connection dropped; `retrying` as the browser does, or `closed` when it gives up. */
  fail(state: 'retrying' | 'closed' = 'retrying'): void {
    this.readyState = state === 'closed' ? 2 : 0;
    this.onerror?.(new Event('error'));
  }

  send(frame: LiveFrame, id = String(frame.history.seconds.at(-1) ?? '')): void {
    this.emit(JSON.stringify(frame), id);
  }

  emit(data: string, id = ''): void {
    this.readyState = 1;
    const event = new MessageEvent('snapshot', { data, lastEventId: id });
    for (const listener of this.#listeners) listener(event);
  }
}
