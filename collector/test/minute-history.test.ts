import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { Collector } from '../src/collector.js';
import { openStore } from '../src/storage/index.js';
import type { Rollup } from '../src/storage/types.js';
import {
  fakeClock,
  gauge,
  OPENAI_KEY,
  point,
  replicaExport,
  sum,
} from '../src/view/test-helpers.js';
import { json, resources } from './helpers.js';

const open = resources();
afterEach(() => open.close());

const MINUTE = 60_000;
const at = (hour: number, minute: number, second = 0) =>
  Date.UTC(2026, 10, 26, hour, minute, second);
const ok = { ...OPENAI_KEY, 'headroom.outcome': 'ok' };
const guardedKey = { ...OPENAI_KEY, 'headroom.key': 'guarded' };

function stored(minute: number, overrides: Partial<Rollup> = {}): Rollup {
  return {
    minute,
    key: 'prod',
    provider: 'openai',
    model: 'gpt-4o-mini',
    requests: 10,
    rateLimited: 0,
    calls: 10,
    inputTokens: 100,
    outputTokens: 20,
    peakActive: 3,
    replicas: 1,
    ...overrides,
  };
}

/** One export of a guarded replica: `active` calls started and not ended, `waiting` of them in the guard. */
const guardedExport = (active: number, waiting: number, start: number) =>
  replicaExport('a', [
    sum('headroom.calls.active', [point(guardedKey, active, start)], 'cumulative', false),
    gauge('headroom.key.calls.active.max', [point(guardedKey, active, start)]),
    gauge('headroom.guard.queue.depth', [point(guardedKey, waiting, start)]),
  ]);

describe('1-minute history', () => {
  it('joins the rollups on disk with the minutes the view holds that are not rolled up yet, the guard’s columns included', async () => {
    const directory = open.directory();
    const first = openStore(directory);
    first.addRollups([
      stored(at(8, 0)),
      stored(at(8, 30), {
        key: 'guarded',
        peakActive: 9,
        peakGuardWaiting: 6,
        peakActiveAtProvider: 3,
      }),
    ]);
    first.close();
    const store = openStore(directory);
    open.add(() => store.close());
    const clock = fakeClock(at(9, 0, 30));
    const collector = new Collector({ now: clock.now, store });
    const app = createApp(collector);
    const start = clock.now();
    collector.view.ingestMetrics(
      replicaExport('a', [sum('headroom.requests', [point(ok, 5, start)], 'delta')]),
    );
    collector.view.ingestMetrics(guardedExport(55, 50, start));
    clock.advance(40_000);
    // 09:01:10, nothing rolled up yet: 09:00 comes from the view, the rest from the file.
    const history = await json(app.request('http://localhost/api/history?minutes=61'));
    expect(history.resolutionSeconds).toBe(60);
    expect(history.seconds).toHaveLength(61);
    expect(history.seconds[0]).toBe(at(8, 0) / 1000);
    expect(history.seconds.at(-1)).toBe(at(9, 0) / 1000);
    const prod = history.keys['prod|openai|gpt-4o-mini'];
    const guarded = history.keys['guarded|openai|gpt-4o-mini'];
    const only = (values: Record<number, number>) =>
      Array.from({ length: 61 }, (_, index) => values[index] ?? 0);
    expect(prod.requestsPerMinute).toEqual(only({ 0: 10, 60: 5 }));
    expect(prod.guardWaiting).toBe(undefined);
    expect(guarded.peakActiveCalls).toEqual(only({ 30: 9, 60: 55 }));
    expect(guarded.guardWaiting).toEqual(only({ 30: 6, 60: 50 }));
    expect(guarded.activeAtProvider).toEqual(only({ 30: 3, 60: 5 }));

    // The rollup writes 09:00 (the guarded key too: nothing ended, but 55 were in flight).
    expect(collector.rollup()).toEqual([
      stored(at(9, 0), {
        requests: 5,
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        peakActive: 0,
        replicas: 1,
      }),
      stored(at(9, 0), {
        key: 'guarded',
        requests: 0,
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        peakActive: 55,
        replicas: 0,
        peakGuardWaiting: 50,
        peakActiveAtProvider: 5,
      }),
    ]);
    clock.advance(30_000);
    collector.view.ingestMetrics(guardedExport(20, 15, start));
    clock.advance(30_000);
    // 09:02:10: 09:00 from the file now, 09:01 from the view; the minute under way is not in it.
    const after = await json(app.request('http://localhost/api/history?minutes=2'));
    expect(after.seconds).toEqual([at(9, 0) / 1000, at(9, 1) / 1000]);
    expect(after.keys['guarded|openai|gpt-4o-mini']).toEqual({
      key: 'guarded',
      provider: 'openai',
      model: 'gpt-4o-mini',
      requestsPerMinute: [0, 0],
      tokensPerMinute: [0, 0],
      rateLimitedPerMinute: [0, 0],
      retriesPerMinute: [0, 0],
      peakActiveCalls: [55, 20],
      guardWaiting: [50, 15],
      activeAtProvider: [5, 5],
    });
    expect(store.queryRollups({ from: at(9, 1), to: at(9, 2) })).toEqual([]);
    expect(after.keys['prod|openai|gpt-4o-mini'].requestsPerMinute).toEqual([5, 0]);
  });

  it('without a store, the minutes come from the view: the last hour', async () => {
    const clock = fakeClock(at(9, 0, 30));
    const collector = new Collector({ now: clock.now });
    collector.view.ingestMetrics(guardedExport(12, 10, clock.now()));
    clock.advance(MINUTE);
    const history = await json(
      createApp(collector).request('http://localhost/api/history?minutes=1'),
    );
    expect(history.seconds).toEqual([at(9, 0) / 1000]);
    expect(history.keys['guarded|openai|gpt-4o-mini']).toMatchObject({
      peakActiveCalls: [12],
      guardWaiting: [10],
      activeAtProvider: [2],
    });
  });
});
