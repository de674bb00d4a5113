import { describe, expect, it } from 'vitest';
import { matchCeilings } from '../ceilings/match-ceilings.js';
import type { Ceiling } from '../storage/types.js';
import { snapshot } from './snapshot.js';
import { fakeClock, gauge, OPENAI_KEY, point, replicaExport, sum } from './test-helpers.js';
import { View } from './view.js';

const ok = { ...OPENAI_KEY, 'headroom.outcome': 'ok' };
const limited = { ...OPENAI_KEY, 'headroom.outcome': 'rate_limited' };

describe('View', () => {
  it('sums 8 replicas exactly: requests, 429s, tokens, calls, replicas and their shares', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const start = clock.now() + 1;
    // Each replica exports cumulative totals twice; replica r made 10 + r requests, r of them 429s.
    for (const round of [1, 2]) {
      for (let replica = 0; replica < 8; replica++) {
        view.ingestMetrics(
          replicaExport(`replica-${replica}`, [
            sum('headroom.requests', [
              point(ok, round * 10, start),
              point(limited, round * replica, start),
            ]),
            sum('headroom.calls', [point(ok, round * 10, start)]),
            sum('headroom.tokens', [
              point({ ...OPENAI_KEY, 'gen_ai.token.type': 'input' }, round * 100, start),
              point({ ...OPENAI_KEY, 'gen_ai.token.type': 'output' }, round * 20, start),
            ]),
          ]),
        );
      }
      clock.advance(500);
    }
    const [key] = snapshot(view).keys;
    expect(key).toMatchObject({
      key: 'prod',
      provider: 'openai',
      model: 'gpt-4o-mini',
      requestsPerMinute: 8 * 20 + 2 * (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7),
      rateLimitedPerMinute: 2 * 28,
      callsPerMinute: 160,
      inputTokensPerMinute: 8 * 200,
      outputTokensPerMinute: 8 * 40,
      tokensPerMinute: 8 * 240,
      retryAmplification: 1.35,
      totals: { requests: 216, rateLimited: 56, calls: 160, inputTokens: 1600, outputTokens: 320 },
    });
    expect(key!.replicas).toHaveLength(8);
    expect(key!.replicas[7]).toEqual({
      instance: 'replica-7',
      service: 'agent',
      requestsPerMinute: 34,
      peakRequestsPerSecond: 34,
      share: 0.157,
      activeCalls: 0,
    });
  });

  it('the guard beside the key: waiting summed over replicas, admitted, delayed, refused, mean wait; what waits is not at the provider', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const start = clock.now() + 1;
    const wait = (count: number, sum: number) => ({
      name: 'headroom.guard.wait',
      unit: 's',
      description: '',
      kind: 'histogram' as const,
      temporality: 'cumulative' as const,
      points: [
        {
          attributes: OPENAI_KEY,
          startTime: start,
          time: start,
          count,
          sum,
          bucketCounts: [],
          explicitBounds: [],
        },
      ],
    });
    for (const [replica, waiting, active] of [
      ['a', 3, 30],
      ['b', 4, 25],
    ] as const) {
      view.ingestMetrics(
        replicaExport(replica, [
          sum('headroom.calls.active', [point(OPENAI_KEY, active, start)], 'cumulative', false),
          sum('headroom.guard.admitted', [point(OPENAI_KEY, 50, start)]),
          sum('headroom.guard.delayed', [point(OPENAI_KEY, 20, start)]),
          sum('headroom.guard.rejected', [
            point({ ...OPENAI_KEY, 'headroom.guard.reason': 'queue_full' }, 2, start),
          ]),
          gauge('headroom.guard.queue.depth', [point(OPENAI_KEY, waiting, start)]),
          wait(50, 10),
        ]),
      );
    }
    const [key] = snapshot(view, () => ({ concurrency: 24 })).keys;
    // 55 calls started and not ended, 7 of them waiting in the guards: 48 at the provider, and
    // the concurrency ceiling is against those.
    expect(key).toMatchObject({
      activeCalls: 55,
      activeAtProvider: 48,
      utilization: { concurrency: 2 },
    });
    expect(key!.guard).toEqual({
      waiting: 7,
      admittedPerMinute: 100,
      delayedPerMinute: 40,
      rejectedPerMinute: 4,
      averageWaitSeconds: 0.2,
    });
    // A key no replica guards has no guard figures at all.
    view.ingestMetrics(
      replicaExport('c', [
        sum('headroom.requests', [point({ ...OPENAI_KEY, 'headroom.key': 'other' }, 1, start)]),
      ]),
    );
    expect(snapshot(view).keys.find((candidate) => candidate.key === 'other')!.guard).toBe(
      undefined,
    );
  });

  it('a restarted replica (new start time, counter back to small) never yields a negative or doubled rate', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const first = clock.now() + 1;
    view.ingestMetrics(replicaExport('a', [sum('headroom.requests', [point(ok, 40, first)])]));
    view.ingestMetrics(replicaExport('a', [sum('headroom.requests', [point(ok, 50, first)])]));
    clock.advance(1000);
    const second = clock.now();
    view.ingestMetrics(replicaExport('a', [sum('headroom.requests', [point(ok, 3, second)])]));
    view.ingestMetrics(replicaExport('a', [sum('headroom.requests', [point(ok, 7, second)])]));
    // Also a counter that goes down with the same start time: a reset, counted from zero.
    view.ingestMetrics(replicaExport('a', [sum('headroom.requests', [point(ok, 2, second)])]));
    expect(snapshot(view).keys[0]!.requestsPerMinute).toBe(50 + 7 + 2);
  });

  it('history from before the collector started is a baseline, not a burst', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const longAgo = clock.now() - 3_600_000;
    view.ingestMetrics(
      replicaExport('a', [sum('headroom.requests', [point(ok, 100_000, longAgo)])]),
    );
    view.ingestMetrics(
      replicaExport('a', [sum('headroom.requests', [point(ok, 100_012, longAgo)])]),
    );
    expect(snapshot(view).keys[0]!.requestsPerMinute).toBe(12);
  });

  it('adds delta points as they come', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    for (const value of [4, 0, 6]) {
      view.ingestMetrics(
        replicaExport('a', [sum('headroom.requests', [point(ok, value, clock.now())], 'delta')]),
      );
    }
    expect(snapshot(view).keys[0]!.requestsPerMinute).toBe(10);
  });

  it('slides: what happened more than 60 s ago leaves the window', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    view.ingestMetrics(
      replicaExport('a', [sum('headroom.requests', [point(ok, 5, clock.now())], 'delta')]),
    );
    clock.advance(59_000);
    view.ingestMetrics(
      replicaExport('a', [sum('headroom.requests', [point(ok, 1, clock.now())], 'delta')]),
    );
    expect(snapshot(view).keys[0]!.requestsPerMinute).toBe(6);
    clock.advance(1_000);
    expect(snapshot(view).keys[0]!.requestsPerMinute).toBe(1);
    clock.advance(60_000);
    expect(snapshot(view).keys[0]!.requestsPerMinute).toBe(0);
    expect(snapshot(view).keys[0]!.replicas).toEqual([]);
  });

  it('in flight: the sum of the replicas now, and the fleet peak of the window from their peak gauges', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const updown = (value: number) =>
      sum('headroom.calls.active', [point(OPENAI_KEY, value, clock.now())], 'cumulative', false);
    view.ingestMetrics(
      replicaExport('a', [
        updown(3),
        gauge('headroom.calls.active.max', [point(OPENAI_KEY, 20, clock.now())]),
      ]),
    );
    view.ingestMetrics(
      replicaExport('b', [
        updown(2),
        gauge('headroom.calls.active.max', [point(OPENAI_KEY, 12, clock.now())]),
      ]),
    );
    clock.advance(2000);
    view.ingestMetrics(
      replicaExport('a', [
        updown(0),
        gauge('headroom.calls.active.max', [point(OPENAI_KEY, 3, clock.now())]),
      ]),
    );
    const [key] = snapshot(view).keys;
    expect(key!.activeCalls).toBe(2);
    expect(key!.peakActiveCalls).toBe(32);
  });

  it('graph nodes: executions per second, in flight, burst, max executions per run; graphs: steps', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const node = { 'headroom.graph.name': 'agent', 'headroom.graph.node': 'summarize' };
    const start = clock.now() + 1;
    view.ingestMetrics(
      replicaExport('a', [
        sum('headroom.graph.node.executions', [point(node, 12, start)]),
        sum('headroom.graph.node.active', [point(node, 12, start)], 'cumulative', false),
        gauge('headroom.graph.node.active.max', [point(node, 12, start)]),
        gauge('headroom.calls.active.max', [point({ ...OPENAI_KEY, ...node }, 12, start)]),
        sum('headroom.calls', [point({ ...OPENAI_KEY, ...node }, 12, start)]),
        {
          name: 'headroom.graph.node.executions_per_run',
          unit: '',
          description: '',
          kind: 'histogram',
          temporality: 'cumulative',
          points: [
            {
              attributes: node,
              startTime: start,
              time: start,
              count: 1,
              sum: 12,
              min: 12,
              max: 12,
              bucketCounts: [],
              explicitBounds: [],
            },
          ],
        },
        {
          name: 'headroom.graph.run.steps',
          unit: '',
          description: '',
          kind: 'histogram',
          temporality: 'cumulative',
          points: [
            {
              attributes: { 'headroom.graph.name': 'agent', 'headroom.graph.recursion_limit': 25 },
              startTime: start,
              time: start,
              count: 1,
              sum: 3,
              min: 3,
              max: 3,
              bucketCounts: [],
              explicitBounds: [],
            },
          ],
        },
      ]),
    );
    const view1 = snapshot(view);
    expect(view1.nodes).toEqual([
      {
        graph: 'agent',
        node: 'summarize',
        executionsPerSecond: 0.2,
        activeExecutions: 12,
        peakActiveExecutions: 12,
        burstSize: 12,
        callsPerMinute: 12,
        maxExecutionsPerRun: 12,
        keys: [{ key: 'prod', provider: 'openai', model: 'gpt-4o-mini' }],
      },
    ]);
    expect(view1.graphs).toEqual([{ graph: 'agent', maxStepsPerRun: 3, recursionLimit: 25 }]);
  });

  it('learns ceilings from provider headers and prefers configured ones, with utilization', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const dimension = (name: string) => ({ ...OPENAI_KEY, 'headroom.ratelimit.dimension': name });
    view.ingestMetrics(
      replicaExport('a', [
        sum('headroom.requests', [point(ok, 50, clock.now())], 'delta'),
        gauge('headroom.ratelimit.limit', [
          point(dimension('requests'), 500, clock.now()),
          point(dimension('tokens'), 200_000, clock.now()),
        ]),
      ]),
    );
    expect(snapshot(view).keys[0]).toMatchObject({
      ceilings: {
        rpm: { value: 500, source: 'learned' },
        tpm: { value: 200_000, source: 'learned' },
      },
      utilization: { rpm: 0.1, tpm: 0, burst: 6 },
    });
    const configured: Ceiling[] = [
      {
        id: 'c1',
        key: 'prod',
        provider: 'openai',
        model: '*',
        rpm: 100,
        concurrency: 4,
        updatedAt: 0,
      },
    ];
    expect(
      snapshot(view, (key, provider, model) => matchCeilings(configured, key, provider, model))
        .keys[0],
    ).toMatchObject({
      ceilings: {
        rpm: { value: 100, source: 'configured' },
        tpm: { value: 200_000, source: 'learned' },
        concurrency: { value: 4, source: 'configured' },
      },
      utilization: { rpm: 0.5, concurrency: 0, burst: 30 },
    });
  });

  it('apps with only standard GenAI metrics still show RPM and TPM; Headroom replicas are not counted twice', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const genAi = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
    };
    const histogram = (
      name: string,
      attributes: Record<string, string>,
      count: number,
      total: number,
    ) => ({
      name,
      unit: '',
      description: '',
      kind: 'histogram' as const,
      temporality: 'delta' as const,
      points: [
        {
          attributes,
          startTime: clock.now(),
          time: clock.now(),
          count,
          sum: total,
          bucketCounts: [],
          explicitBounds: [],
        },
      ],
    });
    const metrics = [
      histogram('gen_ai.client.operation.duration', genAi, 4, 2.5),
      histogram('gen_ai.client.token.usage', { ...genAi, 'gen_ai.token.type': 'input' }, 4, 400),
      histogram('gen_ai.client.token.usage', { ...genAi, 'gen_ai.token.type': 'output' }, 4, 80),
    ];
    view.ingestMetrics(replicaExport('python-app', metrics, 'python'));
    view.ingestMetrics(
      replicaExport('headroom-app', [
        ...metrics,
        sum(
          'headroom.requests',
          [point({ ...genAi, 'headroom.key': 'k', 'headroom.outcome': 'ok' }, 4, clock.now())],
          'delta',
        ),
      ]),
    );
    expect(
      snapshot(view).keys.map((key) => [
        key.key,
        key.requestsPerMinute,
        key.callsPerMinute,
        key.tokensPerMinute,
      ]),
    ).toEqual([
      // No `headroom.key`: named after the app (service.name), not merged into one `default`.
      ['k', 4, 0, 0],
      ['python', 4, 4, 480],
    ]);
  });

  it('spans count only for apps that send no metrics', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const span = {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      name: 'chat gpt-4o',
      kind: 'client' as const,
      startTime: clock.now(),
      endTime: clock.now(),
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 3,
        'error.type': '429',
      },
      status: { code: 'error' as const },
    };
    view.ingestTraces({
      resourceSpans: [
        {
          resource: { 'service.instance.id': 'traces-only' },
          scopes: [{ scope: { name: 'other' }, spans: [span, span] }],
        },
      ],
    });
    view.ingestTraces({
      resourceSpans: [
        {
          resource: { 'service.instance.id': 'sdk' },
          scopes: [{ scope: { name: '@headroom/sdk' }, spans: [span] }],
        },
      ],
    });
    expect(snapshot(view).keys[0]).toMatchObject({
      requestsPerMinute: 2,
      rateLimitedPerMinute: 2,
      tokensPerMinute: 26,
    });
  });
});

describe('View key peak', () => {
  it("takes a replica's own key peak over the sum of its streams' peaks", () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const node = (name: string) => ({
      ...OPENAI_KEY,
      'headroom.graph.name': 'agent',
      'headroom.graph.node': name,
    });
    view.ingestMetrics(
      replicaExport('a', [
        gauge('headroom.calls.active.max', [
          point(node('plan'), 3, clock.now()),
          point(node('write'), 2, clock.now()),
        ]),
      ]),
    );
    expect(snapshot(view).keys[0]!.peakActiveCalls).toBe(5);
    clock.advance(61_000);
    view.ingestMetrics(
      replicaExport('a', [
        gauge('headroom.calls.active.max', [
          point(node('plan'), 3, clock.now()),
          point(node('write'), 2, clock.now()),
        ]),
        gauge('headroom.key.calls.active.max', [point(OPENAI_KEY, 3, clock.now())]),
      ]),
    );
    expect(snapshot(view).keys[0]!.peakActiveCalls).toBe(3);
  });
});
