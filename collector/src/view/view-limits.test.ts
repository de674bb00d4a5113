import { describe, expect, it } from 'vitest';
import type { Attributes } from '../otlp/types.js';
import { history } from './history.js';
import { noneDropped } from './limits.js';
import { snapshot } from './snapshot.js';
import { fakeClock, gauge, OPENAI_KEY, point, replicaExport, sum } from './test-helpers.js';
import { View } from './view.js';

const keyed = (key: string): Attributes => ({
  ...OPENAI_KEY,
  'headroom.key': key,
  'headroom.outcome': 'ok',
});

describe('View limits', () => {
  it('a full series table drops new keys: counted once each, no counter state made, shown in the snapshot', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now, limits: { series: 2 } });
    const start = clock.now() + 1;
    const requests = (...pairs: Array<[string, number]>) =>
      replicaExport('a', [
        sum(
          'headroom.requests',
          pairs.map(([key, value]) => point(keyed(key), value, start)),
        ),
      ]);
    view.ingestMetrics(requests(['one', 5], ['two', 5]));
    expect(view.streams).toBe(2);
    view.ingestMetrics(requests(['three', 5], ['four', 5]));
    clock.advance(1000);
    view.ingestMetrics(requests(['three', 9], ['four', 9], ['one', 8]));
    expect(view.streams).toBe(2);
    const shown = snapshot(view);
    expect(shown.keys.map(({ key, requestsPerMinute }) => [key, requestsPerMinute])).toEqual([
      ['one', 8],
      ['two', 5],
    ]);
    expect(shown.dropped).toEqual({ ...noneDropped(), series: 2 });
    expect(shown.limits.series).toBe(2);
    expect(view.held().series).toBe(2);
  });

  it('at the cap, a series silent for over two minutes makes room; the prune evicts series idle for idleSeconds', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now, limits: { series: 2, idleSeconds: 600 } });
    const calls = (key: string, value: number) =>
      replicaExport('a', [sum('headroom.calls', [point(keyed(key), value, clock.now() - 1)])]);
    view.ingestMetrics(calls('one', 1));
    view.ingestMetrics(calls('two', 1));
    clock.advance(120_000);
    view.ingestMetrics(calls('one', 1));
    // two was seen 120 s ago: not more than two minutes, so three is dropped.
    view.ingestMetrics(calls('three', 1));
    expect([...view.keys.values()].map((series) => series.key)).toEqual(['two', 'one']);
    clock.advance(1000);
    view.ingestMetrics(calls('three', 1));
    expect([...view.keys.values()].map((series) => series.key)).toEqual(['one', 'three']);
    expect(view.dropped().series).toBe(1);
    // one was last seen 599 s ago and is kept; a second later it goes, with its counter stream.
    clock.advance(598_000);
    view.prune();
    expect(view.keys.size).toBe(2);
    clock.advance(1000);
    view.prune();
    expect([...view.keys.values()].map((series) => series.key)).toEqual(['three']);
    expect(view.streams).toBe(1);
    clock.advance(1000);
    view.prune();
    expect(view.keys.size).toBe(0);
    expect(view.streams).toBe(0);
  });

  it('a full node table drops new nodes; their executions create no counter state', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now, limits: { nodes: 1 } });
    const node = (name: string) => ({
      'headroom.graph.name': 'agent',
      'headroom.graph.node': name,
    });
    view.ingestMetrics(
      replicaExport('a', [
        sum('headroom.graph.node.executions', [
          point(node('plan'), 3, clock.now() + 1),
          point(node('work'), 3, clock.now() + 1),
        ]),
      ]),
    );
    expect(snapshot(view).nodes.map((entry) => entry.node)).toEqual(['plan']);
    expect(view.streams).toBe(1);
    expect(view.dropped().nodes).toBe(1);
  });

  it('a full graph table drops new graphs', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now, limits: { graphs: 1 } });
    const steps = (graph: string) => ({
      attributes: { 'headroom.graph.name': graph },
      startTime: clock.now() + 1,
      time: clock.now() + 1,
      count: 1,
      sum: 4,
      max: 4,
      bucketCounts: [],
      explicitBounds: [],
    });
    view.ingestMetrics(
      replicaExport('a', [
        {
          name: 'headroom.graph.run.steps',
          unit: '{step}',
          description: '',
          kind: 'histogram',
          temporality: 'cumulative',
          points: [steps('support'), steps('triage')],
        },
      ]),
    );
    expect(snapshot(view).graphs).toEqual([
      { graph: 'support', maxStepsPerRun: 4, recursionLimit: null },
    ]);
    expect(view.dropped().graphs).toBe(1);
    expect(view.streams).toBe(1);
  });

  it('replicas per key: a full key still counts a new replica’s requests but does not list it, until a dead one makes room', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now, limits: { replicasPerKey: 2 } });
    const start = clock.now() + 1;
    const send = (instance: string, value: number) =>
      view.ingestMetrics(
        replicaExport(instance, [sum('headroom.requests', [point(keyed('prod'), value, start)])]),
      );
    send('a', 1);
    send('b', 1);
    send('c', 1);
    let [key] = snapshot(view).keys;
    expect(key!.requestsPerMinute).toBe(3);
    expect(key!.replicas.map((replica) => replica.instance)).toEqual(['a', 'b']);
    expect(view.dropped().replicasPerKey).toBe(1);
    // a's last export is now 60 s old, so it no longer counts: c takes its place.
    clock.advance(60_000);
    send('b', 2);
    send('c', 2);
    [key] = snapshot(view).keys;
    expect(key!.replicas.map((replica) => replica.instance)).toEqual(['b', 'c']);
    expect(view.dropped().replicasPerKey).toBe(1);
  });

  it('replicas in total: a replica over the limit is dropped whole, its points counted as received', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now, limits: { replicas: 1 } });
    const start = clock.now() + 1;
    for (const instance of ['a', 'b'])
      view.ingestMetrics(
        replicaExport(instance, [sum('headroom.requests', [point(keyed('prod'), 4, start)])]),
      );
    expect(snapshot(view).keys[0]!.requestsPerMinute).toBe(4);
    expect(view.dropped().replicas).toBe(1);
    expect(view.points).toBe(2);
    expect(view.streams).toBe(1);
  });
});

describe('View limits never count twice', () => {
  it('a key turned away while full, admitted later, counts only what came after, not its whole total', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now, limits: { series: 1 } });
    const start = clock.now();
    const key = (name: string) => ({ ...OPENAI_KEY, 'headroom.key': name });
    const send = (name: string, total: number) =>
      view.ingestMetrics(
        replicaExport(`replica-${name}`, [
          sum('headroom.requests', [point(key(name), total, start)]),
        ]),
      );
    send('one', 5);
    // `two` sends 10 a second while `one` holds the only place, until `one` has been silent
    // long enough to make room.
    const two = () => snapshot(view).keys.find((entry) => entry.key === 'two');
    let second = 0;
    while (two() === undefined && second < 200) {
      second++;
      clock.advance(1000);
      send('two', 10 * second);
    }
    expect(second).toBe(121);
    // Its first point, 1,210 cumulative, is what was dropped: a baseline.
    expect(two()!.totals.requests).toBe(0);
    clock.advance(1000);
    send('two', 10 * (second + 1));
    const after = two()!;
    expect([after.requestsPerMinute, after.totals.requests]).toEqual([10, 10]);
  });
});

describe('View replica TTL', () => {
  it('a replica that reported a peak of 10 and died leaves the key and node sums and peaks after the TTL; a live one stays', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const start = clock.now() + 1;
    const nodeKey = {
      ...OPENAI_KEY,
      'headroom.graph.name': 'agent',
      'headroom.graph.node': 'plan',
    };
    const node = { 'headroom.graph.name': 'agent', 'headroom.graph.node': 'plan' };
    const report = (instance: string, active: number, peak: number, waiting: number) =>
      view.ingestMetrics(
        replicaExport(instance, [
          sum('headroom.calls.active', [point(nodeKey, active, start)], 'cumulative', false),
          gauge('headroom.calls.active.max', [point(nodeKey, peak, start)]),
          gauge('headroom.guard.queue.depth', [point(OPENAI_KEY, waiting, start)]),
          sum('headroom.graph.node.active', [point(node, active, start)], 'cumulative', false),
          gauge('headroom.graph.node.active.max', [point(node, peak, start)]),
        ]),
      );
    const figures = () => {
      const shown = snapshot(view);
      const [key] = shown.keys;
      const [plan] = shown.nodes;
      const second = view.second();
      return {
        activeCalls: key!.activeCalls,
        peakActiveCalls: key!.peakActiveCalls,
        peakThisSecond: history(view, second, second).keys[
          Object.keys(history(view, second, second).keys)[0]!
        ]!.peakActiveCalls[0],
        waiting: key!.guard!.waiting,
        replicas: key!.replicas.map((replica) => replica.instance),
        activeExecutions: plan!.activeExecutions,
        peakActiveExecutions: plan!.peakActiveExecutions,
        burstSize: plan!.burstSize,
      };
    };
    report('dies', 4, 10, 5);
    report('lives', 1, 3, 2);
    expect(figures()).toEqual({
      activeCalls: 5,
      peakActiveCalls: 13,
      peakThisSecond: 13,
      waiting: 7,
      replicas: ['dies', 'lives'],
      activeExecutions: 5,
      peakActiveExecutions: 13,
      burstSize: 13,
    });
    // 59 s after its last export the silent replica still counts: exports can be late.
    clock.advance(59_000);
    report('lives', 1, 3, 2);
    expect(figures().activeCalls).toBe(5);
    // 60 s after: the second's sums and peaks have only the live replica.
    clock.advance(1000);
    report('lives', 1, 3, 2);
    expect(figures()).toEqual({
      activeCalls: 1,
      // The window still holds the seconds in which both counted.
      peakActiveCalls: 13,
      peakThisSecond: 3,
      waiting: 2,
      replicas: ['lives'],
      activeExecutions: 1,
      peakActiveExecutions: 13,
      burstSize: 13,
    });
    // Once the window has passed over those seconds, the dead replica is in no figure.
    clock.advance(60_000);
    report('lives', 1, 3, 2);
    expect(figures()).toEqual({
      activeCalls: 1,
      peakActiveCalls: 3,
      peakThisSecond: 3,
      waiting: 2,
      replicas: ['lives'],
      activeExecutions: 1,
      peakActiveExecutions: 3,
      burstSize: 3,
    });
    // And the minute's prune forgets it everywhere it was held.
    view.prune();
    const series = [...view.keys.values()][0]!;
    const plan = [...view.nodes.values()][0]!;
    expect([...series.replicas.entries()].map(([instance]) => instance)).toEqual(['lives']);
    expect([plan.active.size, plan.peaks.size, plan.callPeaks.size]).toEqual([1, 1, 1]);
  });
});
