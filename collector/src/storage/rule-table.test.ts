import { describe, expect, it } from 'vitest';
import { useTemporaryDirectory } from './test-helpers.js';
import type { Rule } from './types.js';

const predictive: Rule = {
  id: 'predict',
  name: 'ceiling within a minute',
  kind: 'predictive',
  severity: 'warning',
  threshold: 1,
  withinSeconds: 60,
  forSeconds: 10,
  clearMargin: 0.05,
  selector: { key: 'prod', provider: 'openai', model: 'gpt-4o', graph: 'triage', node: 'plan' },
  enabled: true,
  updatedAt: 1_700_000_000_000,
};
const disabled: Rule = {
  id: 'amplification',
  name: 'retries',
  kind: 'retry_amplification',
  severity: 'critical',
  threshold: 1.25,
  forSeconds: 0,
  clearMargin: 0,
  selector: {},
  enabled: false,
  updatedAt: 2,
};

describe('rules', () => {
  const temporary = useTemporaryDirectory();

  it('round-trips every field exactly, including the selector and a false flag', () => {
    const store = temporary.open();
    expect(store.putRule(predictive)).toStrictEqual(predictive);
    expect(store.putRule(disabled)).toStrictEqual(disabled);
    expect(store.getRule('predict')).toStrictEqual(predictive);
    expect(store.getRule('amplification')).toStrictEqual(disabled);
    expect(store.listRules()).toStrictEqual([predictive, disabled]);
  });

  it('replaces by id, dropping withinSeconds when the new value has none', () => {
    const store = temporary.open();
    store.putRule(predictive);
    const replaced: Rule = { ...disabled, id: predictive.id };
    expect(store.putRule(replaced)).toStrictEqual(replaced);
    expect(store.getRule(predictive.id)).toStrictEqual(replaced);
  });

  it('deletes, answering false for an unknown id', () => {
    const store = temporary.open();
    store.putRule(predictive);
    expect(store.deleteRule('predict')).toBe(true);
    expect(store.deleteRule('predict')).toBe(false);
    expect(store.getRule('predict')).toBeUndefined();
    expect(store.listRules()).toStrictEqual([]);
  });
});
