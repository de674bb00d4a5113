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
});
