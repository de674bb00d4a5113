import { describe, expect, it } from 'vitest';
import { ruleInputDescription, ruleThreshold, withinSecondsProblem } from './rule.js';
import { RULE_KIND_NAMES, ruleKindSchema } from './rule-kinds.js';

describe('ruleThreshold', () => {
  it("uses the kind's default, and requires one where there is none", () => {
    expect(ruleThreshold('rate_limited', undefined)).toEqual({ threshold: 0 });
    expect(ruleThreshold('retry_amplification', undefined)).toEqual({ threshold: 1.5 });
    expect(ruleThreshold('utilization', undefined)).toEqual({
      problem:
        'Missing `threshold`: expected a number above 0 and at most 1 for a utilization rule',
    });
  });

  it("keeps the threshold to its kind's range", () => {
    expect(ruleThreshold('utilization', 1)).toEqual({ threshold: 1 });
    expect(ruleThreshold('utilization', 0)).toEqual({
      problem:
        'Expected `threshold` to be a number above 0 and at most 1 for a utilization rule, got 0',
    });
    expect(ruleThreshold('node_executions_per_run', 0.5).problem).toBe(
      'Expected `threshold` to be a number from 1 up for a node_executions_per_run rule, got 0.5',
    );
    expect(ruleThreshold('rate_limited', -1).problem).toBe(
      'Expected `threshold` to be a number from 0 up for a rate_limited rule, got -1',
    );
  });
});

describe('withinSecondsProblem', () => {
  it('asks a predictive rule for its look-ahead and refuses one on any other kind', () => {
    expect(withinSecondsProblem('predictive', 60)).toBeUndefined();
    expect(withinSecondsProblem('utilization', undefined)).toBeUndefined();
    expect(withinSecondsProblem('predictive', undefined)).toBe(
      'Missing `withinSeconds`: expected an integer from 1 to 3600 for a predictive rule',
    );
    expect(withinSecondsProblem('rate_limited', 30)).toBe(
      'Expected no `withinSeconds` for a rate_limited rule (only predictive rules look ahead), got 30',
    );
  });
});

describe('rule kinds', () => {
  it('are the five the API takes, listed in the order its messages name them', () => {
    expect(RULE_KIND_NAMES).toEqual([
      'utilization',
      'predictive',
      'rate_limited',
      'retry_amplification',
      'node_executions_per_run',
    ]);
    for (const kind of RULE_KIND_NAMES) expect(ruleKindSchema.safeParse(kind).success).toBe(true);
    expect(ruleKindSchema.safeParse('latency').success).toBe(false);
    expect(ruleInputDescription.expected.kind).toBe(
      'one of `utilization`, `predictive`, `rate_limited`, `retry_amplification`, `node_executions_per_run`',
    );
  });
});
