import type { History } from '@headroom/contract/wire';
import { describe, expect, it } from 'vitest';
import { guardedHistory, keyHistory } from '../test/fixtures';
import { SeriesBuffers } from './series-buffers';

const ID = 'prod|openai|gpt-4o-mini';

function window(
  buffers: SeriesBuffers,
  id = ID,
): { seconds: number[]; values: Array<number | null> } {
  const seconds = new Array<number>(buffers.capacity);
  const values = new Array<number | null>(buffers.capacity);
  buffers.readSeconds(seconds);
  buffers.read(buffers.keys.get(id)!.columns.requestsPerMinute, values);
  return { seconds, values };
}

describe('SeriesBuffers', () => {
  it('keeps the collector columns in time order, null before the first second', () => {
    const buffers = new SeriesBuffers(5);
    buffers.upsert(keyHistory(1000, [10, 20, 30]));
    expect(window(buffers)).toEqual({
      seconds: [998, 999, 1000, 1001, 1002],
      values: [null, null, 10, 20, 30],
    });
  });

  it('replaces a repeated second with its final value instead of adding it', () => {
    const buffers = new SeriesBuffers(5);
    buffers.upsert(keyHistory(1000, [10, 20, 25]));
    // The next frame starts with the previous frame's last second, now final.
    buffers.upsert(keyHistory(1002, [30, 40]));
    expect(window(buffers)).toEqual({
      seconds: [999, 1000, 1001, 1002, 1003],
      values: [null, 10, 20, 30, 40],
    });
    expect(buffers.latest).toBe(1003);
  });

  it('leaves seconds no frame brought as gaps (null), not zeros', () => {
    const buffers = new SeriesBuffers(6);
    buffers.upsert(keyHistory(1000, [10, 20]));
    buffers.upsert(keyHistory(1004, [50, 60]));
    expect(window(buffers)).toEqual({
      seconds: [1000, 1001, 1002, 1003, 1004, 1005],
      values: [10, 20, null, null, 50, 60],
    });
  });

  it('trims to the range: seconds older than the window are gone, and their slots reused', () => {
    const buffers = new SeriesBuffers(3);
    buffers.upsert(keyHistory(1000, [1, 2, 3, 4, 5]));
    expect(window(buffers)).toEqual({ seconds: [1002, 1003, 1004], values: [3, 4, 5] });
    buffers.upsert(keyHistory(1005, [6]));
    expect(window(buffers)).toEqual({ seconds: [1003, 1004, 1005], values: [4, 5, 6] });
    // A late second from before the window changes nothing.
    buffers.upsert(keyHistory(1001, [99]));
    expect(window(buffers)).toEqual({ seconds: [1003, 1004, 1005], values: [4, 5, 6] });
  });

  it('marks a second as a gap for a series absent from the frame that brought it', () => {
    const buffers = new SeriesBuffers(4);
    const both: History = {
      ...keyHistory(1000, [10]),
      keys: { ...keyHistory(1000, [10]).keys, ...keyHistory(1000, [7], 'dev|openai|gpt-4o').keys },
    };
    buffers.upsert(both);
    buffers.upsert(keyHistory(1001, [11]));
    expect(window(buffers, 'dev|openai|gpt-4o').values).toEqual([null, null, 7, null]);
    expect(window(buffers).values).toEqual([null, null, 10, 11]);
  });

  it('drops a series with no value left in the range, and reports the new set of ids', () => {
    const buffers = new SeriesBuffers(3);
    buffers.upsert(keyHistory(1000, [1], 'old|openai|gpt-4o'));
    expect(buffers.ids('keys')).toEqual(['old|openai|gpt-4o']);
    const ids = buffers.ids('keys');
    buffers.upsert(keyHistory(1001, [2]));
    expect(buffers.ids('keys')).toEqual(['old|openai|gpt-4o', ID]);
    expect(buffers.ids('keys')).toBe(buffers.ids('keys'));
    expect(buffers.ids('keys')).not.toBe(ids);
    buffers.upsert(keyHistory(1002, [3, 4, 5]));
    expect(buffers.ids('keys')).toEqual([ID]);
    expect(buffers.keys.has('old|openai|gpt-4o')).toBe(false);
  });

  it('answers single seconds, null outside the window', () => {
    const buffers = new SeriesBuffers(3);
    buffers.upsert(keyHistory(1000, [1, 2, 3, 4]));
    const column = buffers.keys.get(ID)!.columns.requestsPerMinute;
    expect(buffers.valueAt(column, 1003)).toBe(4);
    expect(buffers.valueAt(column, 1001)).toBe(2);
    expect(buffers.valueAt(column, 1000)).toBeNull();
    expect(buffers.valueAt(column, 1004)).toBeNull();
  });

  it('stores node series beside key series', () => {
    const buffers = new SeriesBuffers(2);
    buffers.upsert({
      seconds: [1000, 1001],
      keys: {},
      nodes: {
        'agent|plan': {
          graph: 'agent',
          node: 'plan',
          executionsPerSecond: [1, 2],
          peakActiveCalls: [3, 4],
        },
      },
    });
    const node = buffers.nodes.get('agent|plan')!;
    expect(node.labels).toEqual({ graph: 'agent', node: 'plan' });
    const values = new Array<number | null>(2);
    buffers.read(node.columns.peakActiveCalls, values);
    expect(values).toEqual([3, 4]);
  });

  it('refuses a capacity that is not a whole number of seconds', () => {
    expect(() => new SeriesBuffers(0)).toThrow(
      'Expected `capacity` to be an integer from 1 up, got 0',
    );
  });
});

describe('SeriesBuffers at 1-minute resolution', () => {
  it('holds one slot per minute, x at each minute’s first second, null where no minute came', () => {
    const buffers = new SeriesBuffers(4, 60);
    const history = keyHistory(0, [7, 8]);
    history.seconds = [6000, 6120];
    buffers.upsert(history);
    expect(buffers.start).toBe(6120 - 3 * 60);
    expect(window(buffers)).toEqual({
      seconds: [5940, 6000, 6060, 6120],
      values: [null, 7, null, 8],
    });
    expect(buffers.valueAt(buffers.keys.get(ID)!.columns.requestsPerMinute, 6120)).toBe(8);
    expect(buffers.valueAt(buffers.keys.get(ID)!.columns.requestsPerMinute, 6060)).toBe(null);
  });

  it('slides by whole minutes: the oldest minute’s slot takes the newest', () => {
    const buffers = new SeriesBuffers(2, 60);
    const history = keyHistory(0, [1, 2, 3]);
    history.seconds = [60, 120, 180];
    buffers.upsert(history);
    expect(window(buffers)).toEqual({ seconds: [120, 180], values: [2, 3] });
  });
});

describe('SeriesBuffers of a guarded key', () => {
  it('keeps the guard’s columns and marks the key guarded, a new shape; other keys read NaN there', () => {
    const buffers = new SeriesBuffers(3);
    buffers.upsert(keyHistory(1000, [1, 2]));
    const shape = buffers.shape;
    buffers.upsert(
      guardedHistory([1000, 1001], { peak: [55, 40], waiting: [50, 35], atProvider: [5, 5] }),
    );
    expect(buffers.shape).toBeGreaterThan(shape);
    const guarded = buffers.keys.get('guarded|openai|gpt-4o-mini')!;
    expect(guarded.guarded).toBe(true);
    expect(buffers.keys.get(ID)!.guarded).toBe(false);
    const out = new Array<number | null>(3);
    buffers.read(guarded.columns.guardWaiting, out);
    expect(out).toEqual([null, 50, 35]);
    buffers.read(guarded.columns.activeAtProvider, out);
    expect(out).toEqual([null, 5, 5]);
    buffers.read(buffers.keys.get(ID)!.columns.guardWaiting, out);
    expect(out).toEqual([null, null, null]);
    const again = buffers.shape;
    buffers.upsert(guardedHistory([1002], { peak: [1], waiting: [0], atProvider: [1] }));
    expect(buffers.shape).toBe(again);
  });
});
