import { describe, expect, it } from 'vitest';
import { DroppedIds } from './dropped-ids.js';

describe('DroppedIds', () => {
  it('counts distinct ids, however often each is dropped', () => {
    const dropped = new DroppedIds();
    for (let round = 0; round < 3; round++)
      for (let index = 0; index < 1000; index++)
        dropped.add(`key-${index}\u0000openai\u0000gpt-4o`);
    expect(dropped.count).toBe(1000);
  });
});

describe('DroppedIds at the benchmark’s scale', () => {
  it('counts 100,000 distinct series ids exactly', () => {
    const dropped = new DroppedIds();
    for (let index = 0; index < 100_000; index++)
      dropped.add(`key-${index}\u0000${index % 2 ? 'anthropic' : 'openai'}\u0000gpt-4o`);
    expect(dropped.count).toBe(100_000);
  });
});
