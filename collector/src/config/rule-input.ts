import * as z from 'zod';
import type { Rule, RuleKind } from '../storage/types.js';
import { ConfigError } from './config-error.js';
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
import type { ParseOptions } from './parse-options.js';
import { resolveId } from './resolve-id.js';
import { RULE_KINDS } from './rule-kinds.js';
import { type InputDescription, toConfigError } from './to-config-error.js';

const DEFAULT_CLEAR_MARGIN = 0.05;
const kinds = Object.keys(RULE_KINDS) as [RuleKind, ...RuleKind[]];

const ruleSchema = z.strictObject({
  id: idSchema.optional(),
  name: textSchema,
  kind: z.enum(kinds),
  severity: severitySchema,
  threshold: z.number().optional(),
  withinSeconds: z.number().min(1).max(3600).int().optional(),
  forSeconds: z.number().min(0).max(3600).int().optional(),
  clearMargin: z.number().min(0).max(0.5).optional(),
  selector: z
    .strictObject({
      key: textSchema.optional(),
      provider: textSchema.optional(),
      model: textSchema.optional(),
      graph: textSchema.optional(),
      node: textSchema.optional(),
    })
    .optional(),
  enabled: z.boolean().optional(),
  updatedAt: updatedAtSchema,
});

const description: InputDescription = {
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

function thresholdFor(kind: RuleKind, given: number | undefined): number {
  const { threshold: fallback, thresholdExpected, accepts } = RULE_KINDS[kind];
  const threshold = given ?? fallback;
  if (threshold === undefined) {
    throw new ConfigError(
      `Missing \`threshold\`: expected ${thresholdExpected} for a ${kind} rule`,
    );
  }
  if (!accepts(threshold)) {
    throw new ConfigError(
      `Expected \`threshold\` to be ${thresholdExpected} for a ${kind} rule, got ${threshold}`,
    );
  }
  return threshold;
}

function withinSecondsFor(kind: RuleKind, given: number | undefined): number | undefined {
  if (kind === 'predictive' && given === undefined) {
    throw new ConfigError(
      'Missing `withinSeconds`: expected an integer from 1 to 3600 for a predictive rule',
    );
  }
  if (kind !== 'predictive' && given !== undefined) {
    throw new ConfigError(
      `Expected no \`withinSeconds\` for a ${kind} rule (only predictive rules look ahead), ` +
        `got ${describeValue(given)}`,
    );
  }
  return given;
}

/** An alert rule from API or config-file input; throws `ConfigError` naming the first bad field. */
export function parseRuleInput(value: unknown, options: ParseOptions): Rule {
  const result = ruleSchema.safeParse(value);
  if (!result.success) throw toConfigError(result.error, value, description);
  const input = result.data;
  const withinSeconds = withinSecondsFor(input.kind, input.withinSeconds);
  return {
    id: resolveId(input.id, options.id),
    name: input.name,
    kind: input.kind,
    severity: input.severity,
    threshold: thresholdFor(input.kind, input.threshold),
    ...(withinSeconds !== undefined && { withinSeconds }),
    forSeconds: input.forSeconds ?? RULE_KINDS[input.kind].forSeconds,
    clearMargin: input.clearMargin ?? DEFAULT_CLEAR_MARGIN,
    // Without the keys given as `undefined`, so the rule equals what the store gives back.
    selector: Object.fromEntries(
      Object.entries(input.selector ?? {}).filter(([, field]) => field !== undefined),
    ),
    enabled: input.enabled ?? true,
    updatedAt: options.now,
  };
}
