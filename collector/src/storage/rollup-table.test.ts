import { describe, expect, it } from 'vitest';
import { useTemporaryDirectory } from './test-helpers.js';
import type { Rollup } from './types.js';

const MINUTE = 60_000;

function rollup(minute: number, overrides: Partial<Rollup> = {}): Rollup {
  return {
    minute: minute * MINUTE,
    key: 'prod',
    provider: 'openai',
    model: 'gpt-4o-mini',
    requests: 120,
    rateLimited: 2,
    calls: 100,
    inputTokens: 45_000,
    outputTokens: 9_000,
    peakActive: 14,
    replicas: 3,
    ...overrides,
  };
}

describe('rollups', () => {
  const temporary = useTemporaryDirectory();

  it('round-trips every field exactly', () => {
    const store = temporary.open();
    store.addRollups([rollup(1)]);
    expect(store.queryRollups({ from: 0, to: 10 * MINUTE })).toStrictEqual([rollup(1)]);
  });

  it('replaces the row for the same minute × key × provider × model', () => {
    const store = temporary.open();
    store.addRollups([rollup(1), rollup(1, { model: 'gpt-4o' })]);
    store.addRollups([rollup(1, { requests: 7, replicas: 1 })]);
    expect(store.queryRollups({ from: 0, to: 10 * MINUTE })).toStrictEqual([
      rollup(1, { model: 'gpt-4o' }),
      rollup(1, { requests: 7, replicas: 1 }),
    ]);
  });

  it('queries a half-open range of minutes in order, filtered by key, provider and model', () => {
    const store = temporary.open();
    const rows = [
      rollup(3),
      rollup(1),
      rollup(2),
      rollup(2, { key: 'staging' }),
      rollup(2, { provider: 'anthropic', model: 'claude-sonnet-4' }),
      rollup(4),
    ];
    store.addRollups(rows);
    const range = { from: 2 * MINUTE, to: 4 * MINUTE };
    expect(store.queryRollups(range)).toStrictEqual([
      rollup(2, { provider: 'anthropic', model: 'claude-sonnet-4' }),
      rollup(2),
      rollup(2, { key: 'staging' }),
      rollup(3),
    ]);
    expect(store.queryRollups({ ...range, key: 'prod', provider: 'openai' })).toStrictEqual([
      rollup(2),
      rollup(3),
    ]);
    expect(store.queryRollups({ ...range, model: 'claude-sonnet-4' })).toStrictEqual([
      rollup(2, { provider: 'anthropic', model: 'claude-sonnet-4' }),
    ]);
    expect(store.queryRollups({ from: 4 * MINUTE, to: 4 * MINUTE })).toStrictEqual([]);
  });

  it('adds nothing for an empty batch, and nothing at all when one row of a batch is bad', () => {
    const store = temporary.open();
    store.addRollups([]);
    const bad = { ...rollup(2), requests: undefined } as unknown as Rollup;
    expect(() => store.addRollups([rollup(1), bad])).toThrow();
    expect(store.queryRollups({ from: 0, to: 10 * MINUTE })).toStrictEqual([]);
  });

  it('prunes minutes before a time', () => {
    const store = temporary.open();
    store.addRollups([rollup(1), rollup(2), rollup(3)]);
    expect(store.pruneRollups(2 * MINUTE)).toBe(1);
    expect(store.queryRollups({ from: 0, to: 10 * MINUTE })).toStrictEqual([rollup(2), rollup(3)]);
  });
});
