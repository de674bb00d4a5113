import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { STORE_FILE_NAME } from './open-store.js';
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

  it('round-trips the guard’s levels of a guarded key; a key with none has no such fields', () => {
    const store = temporary.open();
    const guarded = rollup(1, { key: 'guarded', peakGuardWaiting: 50, peakActiveAtProvider: 5 });
    const zero = rollup(2, { key: 'guarded', peakGuardWaiting: 0, peakActiveAtProvider: 0 });
    store.addRollups([guarded, zero, rollup(1)]);
    expect(store.queryRollups({ from: 0, to: 10 * MINUTE })).toStrictEqual([
      guarded,
      rollup(1),
      zero,
    ]);
  });

  it('a file of schema 2 gains the guard columns and keeps every rollup it had, exactly', () => {
    const directory = temporary.directory();
    const database = new Database(join(directory, STORE_FILE_NAME));
    database.exec(MIGRATIONS[0]!);
    database.exec(MIGRATIONS[1]!);
    database.pragma('user_version = 2');
    const insert = database.prepare(
      `INSERT INTO rollups (minute, key, provider, model, requests, rate_limited, calls,
         input_tokens, output_tokens, peak_active, replicas)
       VALUES (?, 'prod', 'openai', 'gpt-4o-mini', 120, 2, 100, 45000, 9000, 14, 3)`,
    );
    for (let minute = 1; minute <= 3; minute++) insert.run(minute * MINUTE);
    database.close();
    const store = temporary.open();
    expect(store.queryRollups({ from: 0, to: 10 * MINUTE })).toStrictEqual([
      rollup(1),
      rollup(2),
      rollup(3),
    ]);
    const guarded = rollup(4, { peakGuardWaiting: 7, peakActiveAtProvider: 2 });
    store.addRollups([guarded]);
    expect(store.queryRollups({ from: 3 * MINUTE, to: 10 * MINUTE })).toStrictEqual([
      rollup(3),
      guarded,
    ]);
  });
});
