import { describe, expect, it } from 'vitest';
import type { Rule } from '../storage/types.js';
import { ConfigError } from './config-error.js';
import { parseRuleInput } from './rule-input.js';

const now = 1_700_000_000_000;
const base = {
  id: 'r',
  name: 'tight utilization',
  kind: 'utilization',
  severity: 'warning',
} as const;
const valid = { ...base, threshold: 0.7 };

function messageOf(value: unknown): string {
  try {
    parseRuleInput(value, { now });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseRuleInput', () => {
  it('keeps every field given', () => {
    const input = {
      id: 'predict',
      name: 'ceiling soon',
      kind: 'predictive',
      severity: 'critical',
      threshold: 0.9,
      withinSeconds: 120,
      forSeconds: 30,
      clearMargin: 0.1,
      selector: { key: 'prod', provider: 'openai', model: 'gpt-4o', graph: 'g', node: 'n' },
      enabled: false,
    };
    expect(parseRuleInput(input, { now })).toStrictEqual({ ...input, updatedAt: now });
  });

  it('fills the defaults: forSeconds 10, clearMargin 0.05, empty selector, enabled', () => {
    expect(parseRuleInput(valid, { now })).toStrictEqual({
      ...valid,
      forSeconds: 10,
      clearMargin: 0.05,
      selector: {},
      enabled: true,
      updatedAt: now,
    } satisfies Rule);
  });

  it.each([
    ['utilization', { threshold: 0.8 }, 0.8, 10],
    ['predictive', { withinSeconds: 60 }, 1, 10],
    ['rate_limited', {}, 0, 0],
    ['retry_amplification', {}, 1.5, 10],
    ['node_executions_per_run', {}, 25, 0],
  ])('defaults a %s rule to threshold %s, forSeconds %s', (kind, extra, threshold, forSeconds) => {
    const rule = parseRuleInput({ ...base, kind, ...extra }, { now });
    expect(rule).toMatchObject({ threshold, forSeconds });
  });

  it('accepts the bounds of every range', () => {
    const at = (input: object) => parseRuleInput({ ...valid, ...input }, { now });
    expect(at({ threshold: 1, forSeconds: 0, clearMargin: 0 })).toMatchObject({ threshold: 1 });
    expect(at({ forSeconds: 3600, clearMargin: 0.5 })).toMatchObject({ forSeconds: 3600 });
    expect(at({ kind: 'predictive', withinSeconds: 1 })).toMatchObject({ withinSeconds: 1 });
    expect(at({ kind: 'predictive', withinSeconds: 3600 })).toMatchObject({ withinSeconds: 3600 });
    expect(at({ kind: 'rate_limited', threshold: 0 })).toMatchObject({ threshold: 0 });
    expect(at({ kind: 'retry_amplification', threshold: 1 })).toMatchObject({ threshold: 1 });
  });

  it('drops selector fields given as undefined, so it equals what the store returns', () => {
    const rule = parseRuleInput({ ...valid, selector: { key: 'prod', node: undefined } }, { now });
    expect(rule.selector).toStrictEqual({ key: 'prod' });
  });

  it.each([
    [
      { ...valid, threshold: 0 },
      'Expected `threshold` to be a number above 0 and at most 1 for a utilization rule, got 0',
    ],
    [
      { ...valid, threshold: 1.2 },
      'Expected `threshold` to be a number above 0 and at most 1 for a utilization rule, got 1.2',
    ],
    [
      { ...base, kind: 'predictive', threshold: 2, withinSeconds: 60 },
      'Expected `threshold` to be a number above 0 and at most 1 for a predictive rule, got 2',
    ],
    [
      { ...base, kind: 'rate_limited', threshold: -1 },
      'Expected `threshold` to be a number from 0 up for a rate_limited rule, got -1',
    ],
    [
      { ...base, kind: 'retry_amplification', threshold: 0.5 },
      'Expected `threshold` to be a number from 1 up for a retry_amplification rule, got 0.5',
    ],
    [
      { ...base, kind: 'node_executions_per_run', threshold: 0 },
      'Expected `threshold` to be a number from 1 up for a node_executions_per_run rule, got 0',
    ],
    [{ ...valid, threshold: Infinity }, 'Expected `threshold` to be a finite number, got Infinity'],
    [{ ...valid, threshold: '0.7' }, 'Expected `threshold` to be a finite number, got "0.7"'],
    [base, 'Missing `threshold`: expected a number above 0 and at most 1 for a utilization rule'],
  ])('names a bad threshold: %o', (input, message) => {
    expect(messageOf(input)).toBe(message);
  });

  it.each([
    [
      { ...base, kind: 'predictive' },
      'Missing `withinSeconds`: expected an integer from 1 to 3600 for a predictive rule',
    ],
    [
      { ...base, kind: 'predictive', withinSeconds: 0 },
      'Expected `withinSeconds` to be an integer from 1 to 3600, got 0',
    ],
    [
      { ...base, kind: 'predictive', withinSeconds: 3601 },
      'Expected `withinSeconds` to be at most 3600, got 3601',
    ],
    [
      { ...base, kind: 'predictive', withinSeconds: 1.5 },
      'Expected `withinSeconds` to be an integer from 1 to 3600, got 1.5',
    ],
    [
      { ...valid, withinSeconds: 60 },
      'Expected no `withinSeconds` for a utilization rule (only predictive rules look ahead), got 60',
    ],
  ])('names a bad withinSeconds: %o', (input, message) => {
    expect(messageOf(input)).toBe(message);
  });

  it.each([
    [{ ...valid, forSeconds: -1 }, 'Expected `forSeconds` to be an integer from 0 to 3600, got -1'],
    [{ ...valid, forSeconds: 3601 }, 'Expected `forSeconds` to be at most 3600, got 3601'],
    [
      { ...valid, clearMargin: -0.1 },
      'Expected `clearMargin` to be a number from 0 to 0.5, got -0.1',
    ],
    [{ ...valid, clearMargin: 0.6 }, 'Expected `clearMargin` to be at most 0.5, got 0.6'],
    [{ ...valid, enabled: 'yes' }, 'Expected `enabled` to be true or false, got "yes"'],
    [{ ...valid, name: '' }, 'Expected `name` to be a string of 1 to 200 characters, got ""'],
    [
      { ...valid, severity: 'info' },
      'Expected `severity` to be `warning` or `critical`, got "info"',
    ],
    [
      { ...valid, severity: 'Critical' },
      'Expected `severity` to be `warning` or `critical`, got "Critical" (did you mean `critical`?)',
    ],
    [
      { ...valid, kind: 'latency' },
      'Expected `kind` to be one of `utilization`, `predictive`, `rate_limited`, `retry_amplification`, `node_executions_per_run`, got "latency"',
    ],
    [
      { ...valid, kind: 'utilisation' },
      'Expected `kind` to be one of `utilization`, `predictive`, `rate_limited`, `retry_amplification`, `node_executions_per_run`, got "utilisation" (did you mean `utilization`?)',
    ],
    [
      { ...valid, selector: 'prod' },
      'Expected `selector` to be an object with any of `key`, `provider`, `model`, `graph`, `node`, got "prod"',
    ],
    [
      { ...valid, selector: { key: 5 } },
      'Expected `selector.key` to be a string of 1 to 200 characters, got 5',
    ],
  ])('names any other bad field: %o', (input, message) => {
    expect(messageOf(input)).toBe(message);
  });

  it('rejects unknown fields, at the top and in the selector, suggesting the one meant', () => {
    expect(messageOf({ ...valid, for_seconds: 5 })).toBe(
      'Unknown field `for_seconds` (did you mean `forSeconds`?)',
    );
    expect(messageOf({ ...valid, treshold: 0.5 })).toBe(
      'Unknown field `treshold` (did you mean `threshold`?)',
    );
    expect(messageOf({ ...valid, within: 60 })).toBe(
      'Unknown field `within` (did you mean `withinSeconds`?)',
    );
    expect(messageOf({ ...valid, selector: { grpah: 'g' } })).toBe(
      'Unknown field `selector.grpah` (did you mean `graph`?)',
    );
    expect(messageOf({ ...valid, selector: { tenant: 'a' } })).toBe(
      'Unknown field `selector.tenant`',
    );
  });
});
