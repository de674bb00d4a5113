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
    // Admitted now, but turned away before: its value holds what was dropped, so it is the
    // baseline, and only what comes after it counts.
    expect(state.increment('c', 'cumulative', 1, 10, 122_001)).toBe(0);
    expect(state.increment('c', 'cumulative', 1, 14, 123_000)).toBe(4);
    expect(state.size).toBe(2);
    // b was evicted: it starts again as a new stream, and a is still diffed.
    expect(state.increment('a', 'cumulative', 1, 13, 122_002)).toBe(1);
    // b comes back after it was let go: a baseline, never its whole value again.
    expect(state.increment('b', 'cumulative', 1, 10, 400_000)).toBe(0);
    expect(state.increment('b', 'cumulative', 1, 11, 401_000)).toBe(1);
  });

  it('a series readmitted after a drop: its streams that started before are a baseline, newer ones count', () => {
    const state = new CounterState(0);
    expect(state.increment('old', 'cumulative', 1_000, 500, 130_000, 130_000)).toBe(0);
    expect(state.increment('old', 'cumulative', 1_000, 503, 131_000, 130_000)).toBe(3);
    expect(state.increment('new', 'cumulative', 130_500, 7, 131_000, 130_000)).toBe(7);
  });

  it('prune forgets streams not updated since the given time', () => {
    const state = new CounterState(0);
    state.increment('a', 'cumulative', 1, 10, 1_000);
    state.increment('b', 'cumulative', 1, 10, 5_000);
    state.prune(2_000);
    expect(state.size).toBe(1);
    // Forgotten, then back: what it held was counted, so it is the baseline, not 15 again.
    expect(state.increment('a', 'cumulative', 1, 15, 6_000)).toBe(0);
    expect(state.increment('a', 'cumulative', 1, 16, 7_000)).toBe(1);
  });
});
