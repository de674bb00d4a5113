import { describe, expect, it } from 'vitest';
import { SecondRing } from './second-ring.js';

describe('SecondRing', () => {
  it('adds, sums windows, keeps maxima, and forgets what time passed over', () => {
    const ring = new SecondRing(10);
    ring.add(100, 2);
    ring.add(100, 3);
    ring.add(103, 1);
    ring.max(103, 7);
    ring.max(103, 4);
    expect(ring.sum(103, 4)).toBe(12);
    expect(ring.peak(103, 4)).toBe(7);
    expect(ring.slice(103, 4)).toEqual([5, 0, 0, 7]);
    ring.advance(109);
    expect(ring.get(100)).toBe(5);
    ring.advance(110);
    expect(ring.get(100)).toBe(0);
    ring.add(95, 1);
    expect(ring.sum(110, 10)).toBe(7);
    ring.advance(500);
    expect(ring.sum(500, 10)).toBe(0);
  });
});
