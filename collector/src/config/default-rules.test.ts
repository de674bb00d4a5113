import { describe, expect, it } from 'vitest';
import type { Rule } from '../storage/types.js';
import { defaultRules } from './default-rules.js';

const now = 1_700_000_000_000;
const common = { clearMargin: 0.05, selector: {}, enabled: true, updatedAt: now };

describe('defaultRules', () => {
  it('is the built-in set, with fixed ids', () => {
    expect(defaultRules(now)).toStrictEqual([
      {
        id: 'default-utilization-warning',
        name: 'Utilization at 80% of a ceiling',
        kind: 'utilization',
        severity: 'warning',
        threshold: 0.8,
        forSeconds: 10,
        ...common,
      },
      {
        id: 'default-utilization-critical',
        name: 'Utilization at 95% of a ceiling',
        kind: 'utilization',
        severity: 'critical',
        threshold: 0.95,
        forSeconds: 10,
        ...common,
      },
      {
        id: 'default-predictive-warning',
        name: 'Ceiling reached within 60 s at the current slope',
        kind: 'predictive',
        severity: 'warning',
        threshold: 1,
        withinSeconds: 60,
        forSeconds: 10,
        ...common,
      },
      {
        id: 'default-rate-limited-critical',
        name: 'Rate limited (any 429)',
        kind: 'rate_limited',
        severity: 'critical',
        threshold: 0,
        forSeconds: 0,
        ...common,
      },
      {
        id: 'default-retry-amplification-warning',
        name: 'Retry amplification above 1.5×',
        kind: 'retry_amplification',
        severity: 'warning',
        threshold: 1.5,
        forSeconds: 10,
        ...common,
      },
      {
        id: 'default-node-executions-per-run-warning',
        name: 'A node executed more than 25 times in one run',
        kind: 'node_executions_per_run',
        severity: 'warning',
        threshold: 25,
        forSeconds: 0,
        ...common,
      },
    ] satisfies Rule[]);
  });

  it('gives fresh objects each call, stamped with the time given', () => {
    const first = defaultRules(1);
    const second = defaultRules(2);
    expect(first[0]).not.toBe(second[0]);
    expect(first[0]?.selector).not.toBe(second[0]?.selector);
    expect(second.every((rule) => rule.updatedAt === 2)).toBe(true);
  });
});
