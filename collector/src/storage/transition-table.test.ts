import { describe, expect, it } from 'vitest';
import { TRANSITION_RETENTION_MS } from './retention.js';
import type { Store } from './store.js';
import { useTemporaryDirectory } from './test-helpers.js';
import type { AlertTransition } from './types.js';

const series = 'key=prod|provider=openai|model=gpt-4o-mini';

function transition(
  overrides: Partial<Omit<AlertTransition, 'sequence'>> = {},
): Omit<AlertTransition, 'sequence'> {
  return {
    ruleId: 'default-utilization-warning',
    series,
    state: 'pending',
    severity: 'warning',
    value: 0.83,
    threshold: 0.8,
    at: 1_700_000_000_000,
    ...overrides,
  };
}

/** Appends pending, firing, resolved for rule a, then the same for rule b: sequences 1..6. */
function appendSix(store: Store): AlertTransition[] {
  const appended: AlertTransition[] = [];
  for (const ruleId of ['a', 'b']) {
    for (const state of ['pending', 'firing', 'resolved'] as const) {
      appended.push(store.appendTransition(transition({ ruleId, state, at: appended.length })));
    }
  }
  return appended;
}

describe('alert transitions', () => {
  const temporary = useTemporaryDirectory();

  it('assigns increasing sequences from 1 and stores every field exactly', () => {
    const store = temporary.open();
    const diagnosis = {
      cause: 'fan-out in node `plan`',
      evidence: [{ node: 'plan', executions: 31 }],
      fix: 'cap concurrency at 8',
      nothing: null,
    };
    const first = store.appendTransition(transition());
    const second = store.appendTransition(transition({ state: 'firing', diagnosis }));
    expect(first).toStrictEqual({ sequence: 1, ...transition() });
    expect(second).toStrictEqual({ sequence: 2, ...transition({ state: 'firing', diagnosis }) });
    expect(store.listTransitions()).toStrictEqual([second, first]);
  });

  it('keeps a null diagnosis apart from an absent one', () => {
    const store = temporary.open();
    store.appendTransition(transition({ diagnosis: null }));
    store.appendTransition(transition());
    const [absent, nullDiagnosis] = store.listTransitions();
    expect(nullDiagnosis).toHaveProperty('diagnosis', null);
    expect(absent).not.toHaveProperty('diagnosis');
  });

  it('lists newest first, after `since`, filtered by rule and state, up to `limit`', () => {
    const store = temporary.open();
    appendSix(store);
    const sequences = (list: AlertTransition[]) => list.map((item) => item.sequence);
    expect(sequences(store.listTransitions())).toStrictEqual([6, 5, 4, 3, 2, 1]);
    expect(sequences(store.listTransitions({ since: 4 }))).toStrictEqual([6, 5]);
    expect(sequences(store.listTransitions({ ruleId: 'a' }))).toStrictEqual([3, 2, 1]);
    expect(sequences(store.listTransitions({ state: 'firing' }))).toStrictEqual([5, 2]);
    expect(sequences(store.listTransitions({ ruleId: 'b', state: 'pending' }))).toStrictEqual([4]);
    expect(sequences(store.listTransitions({ limit: 2 }))).toStrictEqual([6, 5]);
    expect(sequences(store.listTransitions({ since: 1, ruleId: 'a', limit: 1 }))).toStrictEqual([
      3,
    ]);
    expect(store.listTransitions({ ruleId: 'c' })).toStrictEqual([]);
  });

  it('returns 100 by default and at most 1000', () => {
    const store = temporary.open();
    for (let index = 0; index < 1005; index++) store.appendTransition(transition({ at: index }));
    expect(store.listTransitions()).toHaveLength(100);
    expect(store.listTransitions()[0]?.sequence).toBe(1005);
    expect(store.listTransitions({ limit: 5000 })).toHaveLength(1000);
  });

  it('names a bad `limit` or `since`', () => {
    const store = temporary.open();
    expect(() => store.listTransitions({ limit: 0 })).toThrow(
      'Expected `limit` to be an integer from 1 up, got 0',
    );
    expect(() => store.listTransitions({ limit: 2.5 })).toThrow(
      'Expected `limit` to be an integer from 1 up, got 2.5',
    );
    expect(() => store.listTransitions({ since: -1 })).toThrow(
      'Expected `since` to be an integer from 0 up, got -1',
    );
  });

  it('prunes transitions before a time and never reuses their sequences', () => {
    const store = temporary.open();
    const now = 100 * 24 * 60 * 60 * 1000;
    store.appendTransition(transition({ at: now - TRANSITION_RETENTION_MS - 1 }));
    store.appendTransition(transition({ at: now - TRANSITION_RETENTION_MS }));
    const newest = store.appendTransition(transition({ at: now }));
    expect(store.pruneTransitions(now - TRANSITION_RETENTION_MS)).toBe(1);
    expect(store.listTransitions().map((item) => item.sequence)).toStrictEqual([3, 2]);
    expect(store.pruneTransitions(now + 1)).toBe(2);
    expect(store.appendTransition(transition()).sequence).toBe(newest.sequence + 1);
  });
});
