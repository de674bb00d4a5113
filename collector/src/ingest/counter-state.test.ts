import { describe, expect, it } from 'vitest';
import { CounterState } from './counter-state.js';

describe('CounterState', () => {
  it('diffs cumulative points and baselines streams older than the collector', () => {
    const state = new CounterState(1000);
    expect(state.increment('a', 'cumulative', 500, 40, 2000)).toBe(0);
    expect(state.increment('a', 'cumulative', 500, 45, 2500)).toBe(5);
    expect(state.increment('b', 'cumulative', 1500, 7, 2500)).toBe(7);
    expect(state.increment('b', 'cumulative', 3000, 2, 3500)).toBe(2);
    expect(state.increment('c', 'delta', 1500, 7, 3500)).toBe(7);
    // Delta streams need no memory.
    expect(state.size).toBe(2);
  });

  it('when full, drops new streams (yielding 0, counted once each) until the oldest has been silent long enough', () => {
    const state = new CounterState(0, { maxStreams: 2, makeRoomAfterMs: 120_000 });
    state.increment('a', 'cumulative', 1, 10, 1_000);
    state.increment('b', 'cumulative', 1, 10, 2_000);
    for (let round = 0; round < 3; round++)
      expect(state.increment('c', 'cumulative', 1, 10 + round, 60_000)).toBe(0);
    expect(state.dropped).toBe(1);
    expect(state.size).toBe(2);
    // a is updated in a later second, so b is now the least recently updated.
    expect(state.increment('a', 'cumulative', 1, 12, 100_000)).toBe(2);
    expect(state.increment('c', 'cumulative', 1, 10, 122_000)).toBe(0);
    expect(state.increment('c', 'cumulative', 1, 10, 122_001)).toBe(10);
    expect(state.size).toBe(2);
    // b was evicted: it starts again as a new stream, and a is still diffed.
    expect(state.increment('a', 'cumulative', 1, 13, 122_002)).toBe(1);
  });

  it('prune forgets streams not updated since the given time', () => {
    const state = new CounterState(0);
    state.increment('a', 'cumulative', 1, 10, 1_000);
    state.increment('b', 'cumulative', 1, 10, 5_000);
    state.prune(2_000);
    expect(state.size).toBe(1);
    expect(state.increment('a', 'cumulative', 1, 15, 6_000)).toBe(15);
  });
});
