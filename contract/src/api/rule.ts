import * as z from 'zod/mini';
import type { InputDescription } from './describe-issue.js';
import { describeValue } from './describe-value.js';
import {
  ENABLED_EXPECTED,
  ID_EXPECTED,
  idSchema,
  SEVERITY_EXPECTED,
  severitySchema,
  TEXT_EXPECTED,
  textSchema,
  UPDATED_AT_EXPECTED,
  updatedAtSchema,
} from './fields.js';
import { RULE_KIND_NAMES, RULE_KINDS, type RuleKind, ruleKindSchema } from './rule-kinds.js';

/** Hysteresis of a rule that states none. */
export const DEFAULT_CLEAR_MARGIN = 0.05;

/** Which series a rule applies to; absent fields match everything. */
const selectorSchema = z.strictObject({
  key: z.optional(textSchema),
  provider: z.optional(textSchema),
  model: z.optional(textSchema),
  graph: z.optional(textSchema),
  node: z.optional(textSchema),
});

/** An alert rule as `POST /api/rules`, `PUT /api/rules/:id` and a config file's `rules:` take it. */
export const ruleInputSchema = z.strictObject({
  id: z.optional(idSchema),
  name: textSchema,
  kind: ruleKindSchema,
  severity: severitySchema,
  threshold: z.optional(z.number()),
  /** Predictive rules: how far ahead to look. */
  withinSeconds: z.optional(z.number().check(z.minimum(1), z.maximum(3600), z.int())),
  /** How long the condition must hold before pending becomes firing. */
  forSeconds: z.optional(z.number().check(z.minimum(0), z.maximum(3600), z.int())),
  /** Hysteresis: the value must fall below threshold × (1 − this) to resolve (default 0.05). */
  clearMargin: z.optional(z.number().check(z.minimum(0), z.maximum(0.5))),
  selector: z.optional(selectorSchema),
  enabled: z.optional(z.boolean()),
  updatedAt: updatedAtSchema,
});

export type RuleInput = z.input<typeof ruleInputSchema>;
export type RuleSelector = z.output<typeof selectorSchema>;

/** A rule as the collector keeps it and the API answers with it: every default filled in. */
export interface Rule
  extends Omit<
    z.output<typeof ruleInputSchema>,
    'id' | 'threshold' | 'forSeconds' | 'clearMargin' | 'selector' | 'enabled' | 'updatedAt'
  > {
  id: string;
  threshold: number;
  /** How long the condition must hold before pending becomes firing. */
  forSeconds: number;
  /** Hysteresis: the value must fall below threshold × (1 − this) to resolve. */
  clearMargin: number;
  selector: RuleSelector;
  enabled: boolean;
  updatedAt: number;
}

const kinds = RULE_KIND_NAMES;

export const ruleInputDescription: InputDescription = {
  subject: 'a rule',
  expected: {
    id: ID_EXPECTED,
    name: TEXT_EXPECTED,
    kind: `one of ${kinds.map((kind) => `\`${kind}\``).join(', ')}`,
    severity: SEVERITY_EXPECTED,
    threshold: 'a finite number',
    withinSeconds: 'an integer from 1 to 3600',
    forSeconds: 'an integer from 0 to 3600',
    clearMargin: 'a number from 0 to 0.5',
    selector: 'an object with any of `key`, `provider`, `model`, `graph`, `node`',
    'selector.key': TEXT_EXPECTED,
    'selector.provider': TEXT_EXPECTED,
    'selector.model': TEXT_EXPECTED,
    'selector.graph': TEXT_EXPECTED,
    'selector.node': TEXT_EXPECTED,
    enabled: ENABLED_EXPECTED,
    updatedAt: UPDATED_AT_EXPECTED,
  },
};

/** A rule's threshold, given or its kind's default, or the line refusing it for that kind. */
export function ruleThreshold(
  kind: RuleKind,
  given: number | undefined,
): { threshold: number; problem?: undefined } | { threshold?: undefined; problem: string } {
  const { threshold: fallback, thresholdExpected, accepts } = RULE_KINDS[kind];
  const threshold = given ?? fallback;
  if (threshold === undefined) {
    return { problem: `Missing \`threshold\`: expected ${thresholdExpected} for a ${kind} rule` };
  }
  if (!accepts(threshold)) {
    return {
      problem: `Expected \`threshold\` to be ${thresholdExpected} for a ${kind} rule, got ${threshold}`,
    };
  }
  return { threshold };
}

/** The line refusing `withinSeconds` for this kind of rule (predictive ones need it, others take none). */
export function withinSecondsProblem(
  kind: RuleKind,
  given: number | undefined,
): string | undefined {
  if (kind === 'predictive' && given === undefined) {
    return 'Missing `withinSeconds`: expected an integer from 1 to 3600 for a predictive rule';
  }
  if (kind !== 'predictive' && given !== undefined) {
    return (
      `Expected no \`withinSeconds\` for a ${kind} rule (only predictive rules look ahead), ` +
      `got ${describeValue(given)}`
    );
  }
  return undefined;
}
