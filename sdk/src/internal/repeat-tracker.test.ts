import { describe, expect, it } from 'vitest';
import {
  fingerprint,
  REPEAT_AFTER_FAILURE_MS,
  REPEAT_FAILURES_KEPT,
  REPEAT_IN_FLIGHT_MS,
  RepeatTracker,
  type Tracked,
} from './repeat-tracker.js';

/** A request that counts how often it is serialised. */
function request(text: string, counter = { serialised: 0 }) {
  return {
    counter,
    toJSON() {
      counter.serialised++;
      return { text };
    },
  };
}

function call(startTime: number, body: unknown): Tracked {
  return { startTime, request: body, print: undefined };
}

describe('RepeatTracker', () => {
  it('one call at a time with no failures hashes nothing', () => {
    const tracker = new RepeatTracker();
    const counter = { serialised: 0 };
    for (let index = 0; index < 5; index++) {
      const one = call(index * 10, request('same', counter));
      expect(tracker.start(one, one.startTime)).toBe(false);
      tracker.end(one, false, one.startTime + 5);
    }
    expect(counter.serialised).toBe(0);
  });

  it('identical calls started together are a fan-out, not retries', () => {
    const tracker = new RepeatTracker();
    const starts = [0, 1, 2, 3].map((offset) => call(1000 + offset, request('same')));
    expect(starts.map((one) => tracker.start(one, one.startTime))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('an identical call a second after one still in flight is a retry; each request is hashed once', () => {
    const tracker = new RepeatTracker();
    const counter = { serialised: 0 };
    const first = call(0, request('same', counter));
    expect(tracker.start(first, 0)).toBe(false);
    const early = call(REPEAT_IN_FLIGHT_MS - 1, request('same', counter));
    expect(tracker.start(early, early.startTime)).toBe(false);
    const retry = call(REPEAT_IN_FLIGHT_MS, request('same', counter));
    expect(tracker.start(retry, retry.startTime)).toBe(true);
    const other = call(REPEAT_IN_FLIGHT_MS, request('different', counter));
    expect(tracker.start(other, other.startTime)).toBe(false);
    expect(counter.serialised).toBe(4);
  });

  it('once the first has ended, a late identical call is no retry', () => {
    const tracker = new RepeatTracker();
    const first = call(0, request('same'));
    tracker.start(first, 0);
    const second = call(10, request('other'));
    tracker.start(second, 10);
    tracker.end(first, false, 500);
    const third = call(2000, request('same'));
    expect(tracker.start(third, 2000)).toBe(false);
  });

  it('an identical call within the minute after one failed is a retry, past it not', () => {
    const tracker = new RepeatTracker();
    const failed = call(0, request('same'));
    tracker.start(failed, 0);
    tracker.end(failed, true, 100);
    const retry = call(100 + REPEAT_AFTER_FAILURE_MS, request('same'));
    expect(tracker.start(retry, retry.startTime)).toBe(true);
    tracker.end(retry, true, retry.startTime + 50);
    const late = call(retry.startTime + 50 + REPEAT_AFTER_FAILURE_MS + 1, request('same'));
    expect(tracker.start(late, late.startTime)).toBe(false);
    tracker.end(late, false, late.startTime + 1);
    // The failure has been forgotten: one call at a time hashes nothing again.
    const counter = { serialised: 0 };
    const quiet = call(late.startTime + 10, request('same', counter));
    expect(tracker.start(quiet, quiet.startTime)).toBe(false);
    expect(counter.serialised).toBe(0);
  });

  it(`remembers at most ${REPEAT_FAILURES_KEPT} failed requests, forgetting the oldest`, () => {
    const tracker = new RepeatTracker();
    for (let index = 0; index <= REPEAT_FAILURES_KEPT; index++) {
      const failed = call(index, request(`request ${index}`));
      tracker.start(failed, index);
      tracker.end(failed, true, index);
    }
    const oldest = call(1000, request('request 0'));
    expect(tracker.start(oldest, 1000)).toBe(false);
    const newest = call(1000, request(`request ${REPEAT_FAILURES_KEPT}`));
    expect(tracker.start(newest, 1000)).toBe(true);
  });

  it('a request that cannot be serialised matches nothing and does not throw', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(fingerprint(circular)).toBeUndefined();
    const tracker = new RepeatTracker();
    const first = call(0, circular);
    tracker.start(first, 0);
    const second = call(5000, circular);
    expect(tracker.start(second, 5000)).toBe(false);
    tracker.end(first, true, 5001);
    tracker.end(second, true, 5002);
  });
});
