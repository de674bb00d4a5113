import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './migrations.js';
import { openStore } from './open-store.js';
import { useTemporaryDirectory } from './test-helpers.js';

describe('openStore', () => {
  const temporary = useTemporaryDirectory();

  it('creates missing directories and the SQLite file in WAL mode at the schema version', () => {
    const directory = join(temporary.directory(), 'nested', 'data');
    const store = openStore(directory);
    store.close();
    expect(store.path).toBe(join(directory, 'headroom.sqlite'));
    const database = new Database(store.path, { readonly: true });
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    database.close();
  });

  it('reopens the same directory and sees everything that was written', () => {
    const first = temporary.open();
    const ceiling = { id: 'c', key: 'k', provider: 'p', model: 'm', rpm: 5, updatedAt: 1 };
    const rule = {
      id: 'r',
      name: 'n',
      kind: 'utilization' as const,
      severity: 'critical' as const,
      threshold: 0.9,
      forSeconds: 10,
      clearMargin: 0.05,
      selector: { key: 'k' },
      enabled: true,
      updatedAt: 2,
    };
    const webhook = {
      id: 'w',
      url: 'https://x.test/',
      severities: [],
      enabled: true,
      updatedAt: 3,
    };
    const rollup = {
      minute: 60_000,
      key: 'k',
      provider: 'p',
      model: 'm',
      requests: 1,
      rateLimited: 0,
      calls: 1,
      inputTokens: 10,
      outputTokens: 5,
      peakActive: 1,
      replicas: 1,
    };
    first.putCeiling(ceiling);
    first.putRule(rule);
    first.putWebhook(webhook);
    const transition = first.appendTransition({
      ruleId: 'r',
      series: 'key=k',
      state: 'firing',
      severity: 'critical',
      value: 0.93,
      threshold: 0.9,
      at: 4,
      diagnosis: { cause: 'burst' },
    });
    first.addRollups([rollup]);
    first.close();

    const second = temporary.open();
    expect(second.listCeilings()).toStrictEqual([ceiling]);
    expect(second.listRules()).toStrictEqual([rule]);
    expect(second.listWebhooks()).toStrictEqual([webhook]);
    expect(second.listTransitions()).toStrictEqual([transition]);
    expect(second.queryRollups({ from: 0, to: 120_000 })).toStrictEqual([rollup]);
    expect(second.appendTransition({ ...transition, at: 5 }).sequence).toBe(2);
  });

  it('refuses a database from a newer headroom, naming both versions', () => {
    const store = temporary.open();
    store.close();
    const database = new Database(store.path);
    database.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    database.close();
    expect(() => openStore(temporary.directory())).toThrow(
      `${store.path} has schema version ${SCHEMA_VERSION + 1}, newer than the ${SCHEMA_VERSION} ` +
        'this headroom knows; upgrade headroom',
    );
  });

  it('refuses calls after close', () => {
    const store = temporary.open();
    store.close();
    expect(() => store.listCeilings()).toThrow(/not open/);
    expect(existsSync(store.path)).toBe(true);
  });
});
