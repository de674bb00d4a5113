import { describe, expect, it } from 'vitest';
import { history } from './history.js';
import { snapshot, WINDOW_SECONDS } from './snapshot.js';
import { fakeClock, gauge, OPENAI_KEY, point, replicaExport, sum } from './test-helpers.js';
import { View } from './view.js';

describe('history', () => {
  it.each([
    ['whole numbers', (index: number) => (index * 7919) % 13],
    ['fractions', (index: number) => ((index * 7919) % 13) / 3],
  ])('each second is the sliding 60 s sum the snapshot reports then (%s)', (_, amount) => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const start = clock.now();
    let total = 0;
    for (let index = 0; index < 400; index++) {
      total += amount(index);
      view.ingestMetrics(
        replicaExport('a', [sum('headroom.requests', [point(OPENAI_KEY, total, start)])]),
      );
      clock.advance(1000);
    }
    const to = view.second();
    const from = to - 299;
    const chart = history(view, from, to).keys['prod|openai|gpt-4o-mini']!.requestsPerMinute;
    const series = [...view.keys.values()][0]!;
    expect(chart).toEqual(
      Array.from({ length: 300 }, (_, index) => series.requests.sum(from + index, WINDOW_SECONDS)),
    );
    expect(chart.some((value) => value > 0)).toBe(true);
  });
});

describe('history of a guarded key', () => {
  const guardedExport = (instance: string, active: number, waiting: number, start: number) =>
    replicaExport(instance, [
      sum('headroom.calls.active', [point(OPENAI_KEY, active, start)], 'cumulative', false),
      gauge('headroom.key.calls.active.max', [point(OPENAI_KEY, active, start)]),
      gauge('headroom.guard.queue.depth', [point(OPENAI_KEY, waiting, start)]),
    ]);

  it('each second has the calls waiting in the guards and those at the provider, as the snapshot had them', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const start = clock.now() + 1;
    const from = view.second();
    // Second 0: 55 started on one replica, 50 of them waiting. Second 1: two replicas, 30 (25
    // waiting) and 12 (7 waiting). Second 2: nothing exported. Second 3: the first at 20 (15),
    // then, in the same second, at 8 (3): the second keeps the most of each.
    view.ingestMetrics(guardedExport('a', 55, 50, start));
    expect(snapshot(view).keys[0]).toMatchObject({ activeCalls: 55, activeAtProvider: 5 });
    clock.advance(1000);
    view.ingestMetrics(guardedExport('a', 30, 25, start));
    view.ingestMetrics(guardedExport('b', 12, 7, start));
    clock.advance(2000);
    view.ingestMetrics(guardedExport('a', 20, 15, start));
    view.ingestMetrics(guardedExport('a', 8, 3, start));
    const key = history(view, from, from + 3).keys['prod|openai|gpt-4o-mini']!;
    expect(key.peakActiveCalls).toEqual([55, 42, 0, 32]);
    expect(key.guardWaiting).toEqual([50, 32, 0, 22]);
    // Second 3: a at 20 − 15 with b at 12 − 7 makes 10; then a at 8 − 3 makes 10 as well.
    expect(key.activeAtProvider).toEqual([5, 10, 0, 10]);
    const [now] = snapshot(view).keys;
    expect(now).toMatchObject({ activeCalls: 20, activeAtProvider: 10, guard: { waiting: 10 } });
  });

  it('a key no guard is on has neither column', () => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    view.ingestMetrics(
      replicaExport('a', [
        sum('headroom.calls.active', [point(OPENAI_KEY, 4, clock.now())], 'cumulative', false),
      ]),
    );
    const key = history(view, view.second(), view.second()).keys['prod|openai|gpt-4o-mini']!;
    expect(Object.keys(key).sort()).toEqual([
      'key',
      'model',
      'peakActiveCalls',
      'provider',
      'rateLimitedPerMinute',
      'requestsPerMinute',
      'retriesPerMinute',
      'tokensPerMinute',
    ]);
  });
});
