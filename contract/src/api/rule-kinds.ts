import * as z from 'zod/mini';

/** In the order the API's messages list them. */
export const RULE_KIND_NAMES = [
  // use / ceiling at or above `threshold` (0..1) on any dimension
  'utilization',
  // at the current slope the ceiling is reached within `withinSeconds`
  'predictive',
  // any 429 in the window (threshold: 429s per minute, default 0, so any)
  'rate_limited',
  // HTTP attempts / logical calls above `threshold` (default 1.5)
  'retry_amplification',
  // executions of a node in one run above `threshold`
  'node_executions_per_run',
] as const;
export const ruleKindSchema = z.enum(RULE_KIND_NAMES);
export type RuleKind = z.infer<typeof ruleKindSchema>;

export interface KindDefaults {
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
