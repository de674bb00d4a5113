import { describe, expect, it } from 'vitest';
import { burstThreshold, callBursts } from './call-bursts.js';

/** 60 seconds, every one exported, with `values` written from second 0. */
const window = (values: Record<number, number>, fill = 0): number[] =>
  Array.from({ length: 60 }, (_, at) => values[at] ?? fill);
const everyExport = Array.from({ length: 60 }, () => true);

describe('callBursts', () => {
  it('a loop of 50-call batches, each as the last is done: regular, back to back', () => {
    // A batch every 3 s from second 2; calls in flight from then on.
    const starts: Record<number, number> = {};
    for (let at = 2; at < 60; at += 3) starts[at] = 50;
    const inFlight = window({ 0: 0, 1: 0 }, 50);
    expect(callBursts(window(starts), inFlight, everyExport, 10)).toEqual({
      count: 20,
      size: 50,
      periodSeconds: 3,
      dutyCycle: 1,
      backToBack: 1,
      regular: true,
    });
  });

  it('batches with a 2 s pause after each: regular, idle between each', () => {
    const starts: Record<number, number> = {};
    const inFlight: Record<number, number> = {};
    for (let at = 0; at < 60; at += 5) {
      starts[at] = 60;
      for (let busy = at; busy < at + 3; busy++) inFlight[busy] = 60;
    }
    expect(callBursts(window(starts), window(inFlight), everyExport, 10)).toEqual({
      count: 12,
      size: 60,
      periodSeconds: 5,
      dutyCycle: 0.6,
      backToBack: 0,
      regular: true,
    });
  });

  it('one fan-out is one burst; a burst split over two seconds is still one', () => {
    expect(callBursts(window({ 10: 40, 11: 20 }), window({}, 60), everyExport, 10)).toEqual({
      count: 1,
      size: 60,
      periodSeconds: null,
      dutyCycle: 0,
      backToBack: 0,
      regular: false,
    });
  });

  it('calls started together but never in flight together (a semaphore) are no burst', () => {
    // 12 a second in short runs, 3 at a time: a semaphore of 3 over fast calls, with pauses.
    const starts = window({ 5: 12, 6: 12, 10: 12, 11: 12, 15: 12, 16: 12 });
    expect(callBursts(starts, window({}, 3), everyExport, 10)).toMatchObject({
      count: 0,
      regular: false,
    });
    // The same starts with all of them in flight at once are bursts.
    expect(callBursts(starts, window({}, 24), everyExport, 10)).toMatchObject({ count: 3 });
  });

  it('steady traffic past the threshold is sustained, not a train', () => {
    const starts = window({ 20: 50, 30: 50 }, 12);
    const bursts = callBursts(starts, window({}, 20), everyExport, 10);
    expect(bursts).toMatchObject({ count: 0, regular: false });
  });

  it('uneven batches or periods are not regular; a quarter may stray, and the last be short', () => {
    const regular = (starts: Record<number, number>) =>
      callBursts(window(starts), window({}, 50), everyExport, 10)?.regular;
    expect(regular({ 0: 50, 4: 50, 8: 50, 12: 10 })).toBe(true);
    expect(regular({ 0: 50, 4: 20, 8: 50, 12: 50 })).toBe(false);
    expect(regular({ 0: 50, 2: 50, 12: 50, 14: 50 })).toBe(false);
    // One pause of 6 s in a train of 2 s periods, and two batches in adjacent seconds (100).
    expect(
      regular({ 0: 50, 1: 50, 4: 50, 6: 50, 8: 50, 14: 50, 16: 50, 18: 50, 20: 50, 22: 50 }),
    ).toBe(true);
    // Half the periods off: not a train.
    expect(regular({ 0: 50, 2: 50, 10: 50, 12: 50, 20: 50 })).toBe(false);
  });

  it('a second with no export is not seen idle', () => {
    const exported = everyExport.map((_, at) => at !== 5);
    const inFlight = window({ 5: 0 }, 50);
    expect(callBursts(window({ 0: 50, 4: 50, 8: 50 }), inFlight, exported, 10)?.backToBack).toBe(1);
    expect(callBursts(window({ 0: 50, 4: 50, 8: 50 }), inFlight, everyExport, 10)?.backToBack).toBe(
      0.5,
    );
  });

  it('is unknown when the exports miss more than a fifth of the seconds', () => {
    const sparse = Array.from({ length: 60 }, (_, at) => at % 10 === 0);
    expect(callBursts(window({ 0: 50, 10: 50, 20: 50 }), window({}, 5), sparse, 10)).toBeNull();
  });

  it('the threshold is the quota second, from 3 to 10', () => {
    expect([
      burstThreshold(undefined),
      burstThreshold(60),
      burstThreshold(300),
      burstThreshold(6000),
    ]).toEqual([10, 3, 5, 10]);
  });
});
