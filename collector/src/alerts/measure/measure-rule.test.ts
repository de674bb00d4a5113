import { describe, expect, it } from 'vitest';
import { keyView, rule, snapshotOf } from '../test-helpers.js';
import { measureRule } from './measure-rule.js';

const guard = {
  waiting: 50,
  admittedPerMinute: 580,
  delayedPerMinute: 500,
  rejectedPerMinute: 0,
  averageWaitSeconds: 2.5,
};

/** A key at 97 % of its rpm ceiling, in bursts at 120 % of its second. */
const atCeiling = (fields: Parameters<typeof keyView>[0] = {}) =>
  snapshotOf({
    keys: [
      keyView({
        requestsPerMinute: 580,
        requestsPerMinuteBefore: 400,
        peakRequestsPerSecond: 12,
        callsPerMinute: 580,
        ceilings: { rpm: 600 },
        ...fields,
      }),
    ],
  });

describe('measureRule', () => {
  const utilization = rule({ kind: 'utilization', threshold: 0.8 });
  const predictive = rule({ kind: 'predictive', threshold: 1, withinSeconds: 60 });
  const anyRateLimit = rule({ kind: 'rate_limited', threshold: 0 });

  it('a guarded key with no 429s is held by its guard: no utilization or predictive measurement', () => {
    const held = atCeiling({ guard });
    expect(measureRule(utilization, held)).toEqual([]);
    expect(measureRule(predictive, held)).toEqual([]);
    expect(measureRule(anyRateLimit, held)).toHaveLength(1);
    // The same key unguarded is measured on rpm and on its busiest second.
    expect(measureRule(utilization, atCeiling()).map((measurement) => measurement.value)).toEqual([
      580 / 600,
      12 / 10,
    ]);
  });

  it('the first 429 on a guarded key brings the utilization rules back', () => {
    const refused = atCeiling({ guard, rateLimitedPerMinute: 3 });
    expect(measureRule(utilization, refused).map((measurement) => measurement.value)).toEqual([
      580 / 600,
      12 / 10,
    ]);
  });
});
