import { describe, expect, it } from 'vitest';
import { CHUNK_SECONDS, SecondRing } from './second-ring.js';

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

/** The ring as it was: one slot per second, the reference the chunked ring must equal. */
class DenseRing {
  readonly #values: Float64Array;
  #latest = Number.NEGATIVE_INFINITY;
  constructor(readonly size: number) {
    this.#values = new Float64Array(size);
  }
  advance(second: number): void {
    if (second <= this.#latest) return;
    if (second - this.#latest >= this.size) this.#values.fill(0);
    else for (let s = this.#latest + 1; s <= second; s++) this.#values[s % this.size] = 0;
    this.#latest = second;
  }
  add(second: number, value: number): void {
    this.advance(second);
    if (second > this.#latest - this.size) this.#values[second % this.size]! += value;
  }
  max(second: number, value: number): void {
    this.advance(second);
    if (second <= this.#latest - this.size) return;
    if (value > this.#values[second % this.size]!) this.#values[second % this.size] = value;
  }
  get(second: number): number {
    if (second > this.#latest || second <= this.#latest - this.size) return 0;
    return this.#values[second % this.size]!;
  }
  sum(second: number, seconds: number): number {
    let total = 0;
    for (let s = second - seconds + 1; s <= second; s++) total += this.get(s);
    return total;
  }
  peak(second: number, seconds: number): number {
    let peak = 0;
    for (let s = second - seconds + 1; s <= second; s++) peak = Math.max(peak, this.get(s));
    return peak;
  }
  slice(second: number, seconds: number): number[] {
    return Array.from({ length: seconds }, (_, index) => this.get(second - seconds + 1 + index));
  }
}

/** A seeded generator (mulberry32), so a failure replays exactly. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('SecondRing, chunked', () => {
  it('allocates nothing until written, and frees chunks as time passes over them', () => {
    const ring = new SecondRing();
    expect(ring.chunks).toBe(0);
    ring.advance(1_000_000);
    expect(ring.chunks).toBe(0);
    ring.add(1_000_000, 1);
    ring.add(1_000_001, 1);
    expect(ring.chunks).toBe(1);
    ring.add(1_000_100, 1);
    expect(ring.chunks).toBe(2);
    // 1_000_000 starts a chunk (16 × 62_500) that ends at 1_000_015: it goes once the hour has
    // passed over all 16 of its seconds, and not a second before.
    ring.advance(1_000_015 + 3599);
    expect(ring.chunks).toBe(2);
    ring.advance(1_000_015 + 3600);
    expect(ring.chunks).toBe(1);
    expect(ring.get(1_000_000)).toBe(0);
    expect(ring.get(1_000_100)).toBe(1);
    ring.advance(2_000_000);
    expect(ring.chunks).toBe(0);
    expect(ring.sum(2_000_000, 3600)).toBe(0);
  });

  it('a series seen for a few seconds an hour holds a few chunks, not the hour', () => {
    const ring = new SecondRing();
    for (let second = 0; second < 7200; second += 600) ring.add(second, 1);
    // 3000's chunk (2992 to 3007) still has seconds in the hour that ends at 6600.
    expect(ring.chunks).toBe(7);
    expect(ring.sum(6600, 3600)).toBe(6);
  });

  it('equals one slot per second over random adds, maxima, jumps, sums, peaks and slices', () => {
    for (const [seed, size] of [
      [1, 3600],
      [2, 120],
      [3, 10],
      [4, 33],
      [5, 64],
    ] as const) {
      const next = random(seed);
      const chunked = new SecondRing(size);
      const dense = new DenseRing(size);
      let now = 1_764_000_000;
      for (let step = 0; step < 5_000; step++) {
        const choice = next();
        if (choice < 0.5) now += Math.floor(next() * 3);
        else if (choice < 0.52) now += Math.floor(next() * size * 2);
        // Writes mostly at now, sometimes in the past (within the span and beyond it).
        const second = next() < 0.8 ? now : now - Math.floor(next() * size * 1.5);
        const value = Math.floor(next() * 1000) / 8;
        if (next() < 0.7) {
          chunked.add(second, value);
          dense.add(second, value);
        } else {
          chunked.max(second, value);
          dense.max(second, value);
        }
        const end = now - Math.floor(next() * size * 1.2) + Math.floor(next() * 3);
        const seconds = 1 + Math.floor(next() * size * 1.2);
        expect(chunked.sum(end, seconds)).toBe(dense.sum(end, seconds));
        expect(chunked.peak(end, seconds)).toBe(dense.peak(end, seconds));
        expect(chunked.get(end)).toBe(dense.get(end));
        if (step % 97 === 0) expect(chunked.slice(end, seconds)).toEqual(dense.slice(end, seconds));
      }
      expect(chunked.chunks).toBeLessThanOrEqual(Math.ceil(size / CHUNK_SECONDS) + 1);
    }
  });
});
