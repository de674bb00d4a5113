import type { RuleKind } from '../storage/types.js';

interface KindDefaults {
  /** Absent: the rule must state its threshold. */
  threshold?: number;
  forSeconds: number;
  thresholdExpected: string;
  accepts(threshold: number): boolean;
}

const fraction = {
  thresholdExpected: 'a number above 0 and at most 1',
  accepts: (threshold: number) => threshold > 0 && threshold <= 1,
};
const fromOne = {
  thresholdExpected: 'a number from 1 up',
  accepts: (threshold: number) => threshold >= 1,
};

/**
 * Per kind: the threshold's range and defaults. `forSeconds` defaults to 10 where the value is a
 * noisy rate that one burst can spike (utilization, slope, retries), and to 0 where one
 * observation is already the fact (a 429 happened; a run executed a node 26 times).
 */
export const RULE_KINDS: Readonly<Record<RuleKind, KindDefaults>> = {
  utilization: { forSeconds: 10, ...fraction },
  // The fraction of the ceiling projected to be reached: 1 is the ceiling itself.
  predictive: { threshold: 1, forSeconds: 10, ...fraction },
  // 429s per minute above which the rule fires: 0, so any.
  rate_limited: {
    threshold: 0,
    forSeconds: 0,
    thresholdExpected: 'a number from 0 up',
    accepts: (threshold) => threshold >= 0,
  },
  // HTTP attempts per logical call can never be below 1.
  retry_amplification: { threshold: 1.5, forSeconds: 10, ...fromOne },
  node_executions_per_run: { threshold: 25, forSeconds: 0, ...fromOne },
};
