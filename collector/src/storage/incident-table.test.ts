import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { STORE_FILE_NAME } from './open-store.js';
import { useTemporaryDirectory } from './test-helpers.js';
import type { Incident } from './types.js';

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    subject: 'key=prod|provider=openai|model=gpt-4o-mini',
    state: 'open',
    firstWarningAt: 1_000,
    openedAt: 2_000,
    severity: 'warning',
    cause: 'fan_out',
    diagnosis: {
      cause: 'fan_out',
      title: 'Uncontrolled fan-out',
      summary: '60 calls at once from node `fan`',
      evidence: { burst: 60 },
      fix: { text: 'Cap concurrency', snippet: 'pLimit(8)' },
      alternatives: ['stacked_retries'],
    },
    peakUtilization: { value: 1.2, dimension: 'burst', at: 3_000 },
    timeline: [{ at: 2_000, kind: 'opened', text: 'fired', severity: 'warning' }],
    alerts: [
      {
        ruleId: 'util',
        ruleName: 'Utilization',
        kind: 'utilization',
        series: 'key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm',
        severity: 'warning',
        firingSince: 2_000,
      },
    ],
    ...overrides,
  };
}

describe('incidents table', () => {
  const temporary = useTemporaryDirectory();

  it('round-trips every field, replaces by id, lists open ones and the newest resolved ones', () => {
    const store = temporary.open();
    const a = incident();
    const b = incident({ id: 'inc-2', state: 'resolved', openedAt: 5_000, resolvedAt: 9_000 });
    const c = incident({ id: 'inc-3', state: 'resolved', openedAt: 6_000, resolvedAt: 8_000 });
    store.putIncidents([a, b, c]);
    expect(store.listIncidents({ state: 'open' })).toStrictEqual([a]);
    expect(store.listIncidents({ state: 'resolved' })).toStrictEqual([b, c]);
    expect(store.listIncidents({ state: 'resolved', limit: 1 })).toStrictEqual([b]);
    const resolved = { ...a, state: 'resolved' as const, resolvedAt: 10_000 };
    store.putIncidents([resolved]);
    expect(store.listIncidents({ state: 'open' })).toStrictEqual([]);
    expect(store.listIncidents({ state: 'resolved' })).toStrictEqual([resolved, b, c]);
  });

  it('prunes resolved incidents by when they resolved, never open ones', () => {
    const store = temporary.open();
    store.putIncidents([
      incident({ id: 'old-open', openedAt: 1 }),
      incident({ id: 'old', state: 'resolved', resolvedAt: 5 }),
      incident({ id: 'new', state: 'resolved', resolvedAt: 50 }),
    ]);
    expect(store.pruneIncidents(10)).toBe(1);
    expect(store.listIncidents({ state: 'open' }).map((row) => row.id)).toEqual(['old-open']);
    expect(store.listIncidents({ state: 'resolved' }).map((row) => row.id)).toEqual(['new']);
  });

  it('a database of the first schema gains the table; its transitions read as before', () => {
    const directory = temporary.directory();
    const database = new Database(join(directory, STORE_FILE_NAME));
    database.exec(MIGRATIONS[0]!);
    database.pragma('user_version = 1');
    database
      .prepare(
        `INSERT INTO transitions (rule_id, series, state, severity, value, threshold, at)
         VALUES ('util', 'key=prod', 'firing', 'warning', 0.9, 0.8, 1000)`,
      )
      .run();
    database.close();
    const store = temporary.open();
    expect(store.listTransitions()).toStrictEqual([
      {
        sequence: 1,
        ruleId: 'util',
        series: 'key=prod',
        state: 'firing',
        severity: 'warning',
        value: 0.9,
        threshold: 0.8,
        at: 1000,
      },
    ]);
    const next = store.appendTransition({
      ruleId: 'util',
      series: 'key=prod',
      state: 'resolved',
      severity: 'warning',
      value: 0.5,
      threshold: 0.8,
      at: 2000,
      incidentId: 'inc-1',
    });
    expect(store.listTransitions()[0]).toStrictEqual(next);
    expect(next.incidentId).toBe('inc-1');
    store.putIncidents([incident()]);
    expect(store.listIncidents({ state: 'open' })).toHaveLength(1);
  });
});
