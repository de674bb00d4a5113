import type { History, LiveFrame } from '@headroom/contract/wire';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource, keyHistory, keyView, snapshot } from '../test/fixtures';
import type { FrameMetrics } from './frame-metrics';
import { LiveStore, type LiveStoreOptions } from './live-store';

const ID = 'prod|openai|gpt-4o-mini';

function frame(history: History, keys = [keyView()]): LiveFrame {
  return { snapshot: snapshot({ keys }), history, alerts: [], incidents: [] };
}

function setup(options: LiveStoreOptions = {}) {
  const frames: Array<() => void> = [];
  const metrics: FrameMetrics = { frames: 0, firstDataAt: undefined, frameTimes: [] };
  let clock = 1000;
  const store = new LiveStore({
    createEventSource: (url) => new FakeEventSource(url),
    requestFrame: (callback) => {
      frames.push(callback);
    },
    now: () => clock,
    metrics,
    ...options,
  });
  const paint = () => {
    for (const callback of frames.splice(0)) callback();
  };
  store.start();
  const source = () => FakeEventSource.instances.at(-1)!;
  return {
    store,
    metrics,
    paint,
    source,
    pending: () => frames.length,
    tick: (ms: number) => {
      clock += ms;
    },
  };
}

function column(store: LiveStore): Array<number | null> {
  const out = new Array<number | null>(store.buffers.capacity);
  store.buffers.read(store.buffers.keys.get(ID)!.columns.requestsPerMinute, out);
  return out.filter((value) => value !== null);
}

beforeEach(() => {
  FakeEventSource.instances.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LiveStore', () => {
  it('opens api/live and upserts each frame when it arrives', () => {
    const { store, source } = setup();
    expect(source().url).toBe('api/live');
    source().send(frame(keyHistory(1000, [1, 2])));
    source().send(frame(keyHistory(1001, [3, 4])));
    expect(column(store)).toEqual([1, 3, 4]);
    store.stop();
  });

  it('tells React once per animation frame, however many frames came', async () => {
    const { store, source, paint, pending, metrics, tick } = setup();
    const listener = vi.fn();
    store.subscribe(listener);
    source().send(frame(keyHistory(1000, [1])));
    tick(5);
    source().send(frame(keyHistory(1000, [2])));
    expect(pending()).toBe(1);
    expect(listener).not.toHaveBeenCalled();
    expect(store.getState().connection).toBe('connecting');
    tick(10);
    paint();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getState().connection).toBe('live');
    expect(store.getState().snapshot?.keys[0]?.key).toBe('prod');
    await Promise.resolve();
    expect(metrics).toEqual({ frames: 2, firstDataAt: 1015, frameTimes: [15, 10] });
    store.stop();
  });

  it('hands the charts the buffers on the painted frame', () => {
    const { store, source, paint } = setup();
    const painter = vi.fn();
    store.onPaint(painter);
    source().send(frame(keyHistory(1000, [1])));
    paint();
    expect(painter).toHaveBeenCalledWith(store.buffers, true);
    store.stop();
  });

  it('is retrying while the browser reconnects, and live again when frames flow', () => {
    const { store, source, paint } = setup();
    source().send(frame(keyHistory(1000, [1])));
    paint();
    source().fail('retrying');
    paint();
    expect(store.getState().connection).toBe('retrying');
    source().open();
    paint();
    expect(store.getState().connection).toBe('retrying');
    source().send(frame(keyHistory(1000, [1])));
    paint();
    expect(store.getState().connection).toBe('live');
    store.stop();
  });

  it('opens a new stream from the last event id when the browser gives up', () => {
    vi.useFakeTimers();
    const { store, source, paint } = setup({ retryMs: 1000 });
    source().send(frame(keyHistory(1000, [1, 2])), '1001');
    const first = source();
    first.fail('closed');
    paint();
    expect(store.getState().connection).toBe('retrying');
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(source().url).toBe('api/live?lastEventId=1001');
    expect(first.closed).toBe(true);
    store.stop();
  });

  it('reconnects a stream that stays silent past the heartbeat', () => {
    vi.useFakeTimers();
    const { store, source, paint, tick } = setup({ staleMs: 15_000, retryMs: 100 });
    source().send(frame(keyHistory(1000, [1])), '1000');
    paint();
    tick(16_000);
    vi.advanceTimersByTime(5_000);
    paint();
    expect(store.getState().connection).toBe('retrying');
    vi.advanceTimersByTime(100);
    expect(source().url).toBe('api/live?lastEventId=1000');
    store.stop();
  });

  it('replaces the buffers with the history of a new range, then replays frames that came meanwhile', async () => {
    let resolve: (history: History) => void = () => {};
    const fetchHistory = vi.fn(
      () =>
        new Promise<History>((done) => {
          resolve = done;
        }),
    );
    const { store, source, paint } = setup({ fetchHistory });
    source().send(frame(keyHistory(1000, [1, 2])));
    const changing = store.setRange(900);
    expect(fetchHistory).toHaveBeenCalledWith(900);
    paint();
    expect(store.getState()).toMatchObject({ range: 900, rangeLoading: true });
    expect(store.buffers.capacity).toBe(900);
    source().send(frame(keyHistory(1003, [7, 8])));
    resolve(keyHistory(990, [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6]));
    await changing;
    paint();
    expect(store.getState().rangeLoading).toBe(false);
    expect(column(store)).toEqual([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 7, 8]);
    store.stop();
  });

  it('says why a range could not be loaded, and keeps live data', async () => {
    const { store, source, paint } = setup({
      fetchHistory: () => Promise.reject(new Error('503 Service Unavailable')),
    });
    const changing = store.setRange(3600);
    source().send(frame(keyHistory(1000, [4])));
    await changing;
    paint();
    expect(store.getState().rangeError).toBe(
      'Could not load 1 h of history: 503 Service Unavailable',
    );
    expect(column(store)).toEqual([4]);
    store.stop();
  });

  it('ignores a frame that is not JSON', () => {
    const { store, source, paint } = setup();
    source().emit('{nope', '1000');
    paint();
    expect(store.getState().snapshot).toBeUndefined();
    source().send(frame(keyHistory(1000, [1])));
    paint();
    expect(store.getState().snapshot?.keys).toHaveLength(1);
    store.stop();
  });

  it('a minute range loads ?minutes= at 1-minute points, ignores the frames, and refetches just after each minute', async () => {
    vi.useFakeTimers();
    // 09:00:30 on the wall clock: the refetch is due 2 s after 09:01.
    let wall = Date.UTC(2026, 10, 26, 9, 0, 30);
    const minute = Date.UTC(2026, 10, 26, 8, 59) / 1000;
    const answers = [
      minuteHistory([minute - 60, minute], [4, 5]),
      minuteHistory([minute, minute + 60], [5, 6]),
    ];
    const fetchHistory = vi.fn((_range: number) => Promise.resolve(answers.shift()!));
    const { store, source, paint } = setup({ fetchHistory, wallClock: () => wall });
    source().send(frame(keyHistory(1000, [1, 2])));
    await store.setRange(604_800);
    paint();
    expect(fetchHistory).toHaveBeenCalledWith(604_800);
    expect(store.getState()).toMatchObject({
      range: 604_800,
      resolution: 60,
      rangeLoading: false,
      rangeError: undefined,
    });
    expect(store.buffers).toMatchObject({ capacity: 10_080, step: 60, latest: minute });
    expect(column(store)).toEqual([4, 5]);
    // A live frame's seconds are not minutes: the minute range does not take it.
    source().send(frame(keyHistory(minute + 1, [99])));
    paint();
    expect(column(store)).toEqual([4, 5]);
    expect(store.getState().snapshot?.keys).toHaveLength(1);
    wall += 31_000;
    await vi.advanceTimersByTimeAsync(31_000);
    expect(fetchHistory).toHaveBeenCalledTimes(1);
    wall += 1_000;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fetchHistory).toHaveBeenCalledTimes(2);
    paint();
    // Swapped whole: the minute before the new answer is gone, as a reload would show it.
    expect(column(store)).toEqual([5, 6]);
    expect(store.buffers.latest).toBe(minute + 60);
    store.stop();
  });

  it('a failed refetch keeps the minutes shown and says so; the next one clears it', async () => {
    // The fake timers move Date.now, the store's default wall clock, with them.
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 26, 9, 0, 58) });
    const minute = Date.UTC(2026, 10, 26, 8, 59) / 1000;
    const answers: Array<() => Promise<History>> = [
      () => Promise.resolve(minuteHistory([minute], [3])),
      () => Promise.reject(new Error('503 Service Unavailable')),
      () => Promise.resolve(minuteHistory([minute + 60], [4])),
    ];
    const { store, paint } = setup({ fetchHistory: () => answers.shift()!() });
    await store.setRange(21_600);
    expect(store.buffers.capacity).toBe(360);
    await vi.advanceTimersByTimeAsync(4_000);
    paint();
    expect(store.getState().rangeError).toBe(
      'Could not refresh 6 h of history: 503 Service Unavailable',
    );
    expect(column(store)).toEqual([3]);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(answers).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(answers).toHaveLength(0);
    paint();
    expect(store.getState().rangeError).toBe(undefined);
    expect(column(store)).toEqual([4]);
    store.stop();
  });

  it('back to a live range: 1 s history, frames upserted again, no more refetches of the minutes', async () => {
    vi.useFakeTimers();
    const fetchHistory = vi.fn((range: number) =>
      Promise.resolve(range === 86_400 ? minuteHistory([60_000], [9]) : keyHistory(2000, [1, 2])),
    );
    const { store, source, paint } = setup({ fetchHistory, wallClock: () => 0 });
    await store.setRange(86_400);
    paint();
    expect(store.getState()).toMatchObject({ range: 86_400, resolution: 60 });
    await store.setRange(300);
    paint();
    expect(store.getState()).toMatchObject({ range: 300, resolution: 1, rangeLoading: false });
    expect(store.buffers).toMatchObject({ capacity: 300, step: 1 });
    source().send(frame(keyHistory(2001, [2, 3])));
    expect(column(store)).toEqual([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(180_000);
    expect(fetchHistory.mock.calls.map(([range]) => range)).toEqual([86_400, 300]);
    store.stop();
  });

  it('a minute range that fails to load says which, in words', async () => {
    const { store, paint } = setup({
      fetchHistory: () => Promise.reject(new Error('The collector did not answer')),
    });
    await store.setRange(86_400);
    paint();
    expect(store.getState()).toMatchObject({
      rangeLoading: false,
      rangeError: 'Could not load 24 h of history: The collector did not answer',
    });
    store.stop();
  });
});

/** `?minutes=` history: requests at each minute's first second. */
function minuteHistory(seconds: number[], requests: number[]): History {
  const history = keyHistory(0, requests);
  history.seconds = seconds;
  return history;
}
