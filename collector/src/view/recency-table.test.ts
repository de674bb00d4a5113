import { describe, expect, it } from 'vitest';
import { RecencyTable } from './recency-table.js';

const entry = () => ({ lastSeen: 0 });

describe('RecencyTable', () => {
  it('holds up to its cap, then refuses a newcomer while the oldest entry is recent', () => {
    const table = new RecencyTable(2, 120);
    expect(table.take('a', 100, entry)).toEqual({ lastSeen: 100 });
    expect(table.take('b', 101, entry)).toBeDefined();
    expect(table.admits('c', 220)).toBe(false);
    expect(table.take('c', 220, entry)).toBeUndefined();
    // What is already held is always admitted.
    expect(table.admits('a', 220)).toBe(true);
    expect(table.take('a', 220, entry)).toEqual({ lastSeen: 220 });
    expect([...table.entries()].map(([id]) => id)).toEqual(['b', 'a']);
  });

  it('lets the least recently seen entry go once it has been silent for longer than makeRoomAfterSeconds', () => {
    const table = new RecencyTable(2, 120);
    table.take('a', 100, entry);
    table.take('b', 101, entry);
    table.take('a', 150, entry);
    // b, seen at 101, is the least recently seen; at 221 it has been silent for 120 s, not more.
    expect(table.take('c', 221, entry)).toBeUndefined();
    expect(table.admits('c', 222)).toBe(true);
    expect(table.take('c', 222, entry)).toBeDefined();
    expect([...table.entries()].map(([id]) => id)).toEqual(['a', 'c']);
  });

  it('prune evicts every entry last seen before the given second, wherever it sits', () => {
    const table = new RecencyTable(10, 120);
    for (const [id, second] of [
      ['a', 10],
      ['b', 20],
      ['c', 30],
    ] as const)
      table.take(id, second, entry);
    // A second seen again earlier than the last (a clock step back) leaves the order as it was.
    table.take('a', 5, entry);
    expect(table.prune(21)).toBe(2);
    expect([...table.entries()].map(([id]) => id)).toEqual(['c']);
  });
});
