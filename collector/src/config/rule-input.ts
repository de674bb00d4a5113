import {
  DEFAULT_CLEAR_MARGIN,
  RULE_KINDS,
  type Rule,
  ruleInputDescription,
  ruleInputSchema,
  ruleThreshold,
  withinSecondsProblem,
} from '@headroom/contract';
import { ConfigError } from './config-error.js';
import type { ParseOptions } from './parse-options.js';
import { resolveId } from './resolve-id.js';
import { toConfigError } from './to-config-error.js';

/** An alert rule from API or config-file input; throws `ConfigError` naming the first bad field. */
export function parseRuleInput(value: unknown, options: ParseOptions): Rule {
  const result = ruleInputSchema.safeParse(value);
  if (!result.success) throw toConfigError(result.error, value, ruleInputDescription);
  const input = result.data;
  const withinProblem = withinSecondsProblem(input.kind, input.withinSeconds);
  if (withinProblem !== undefined) throw new ConfigError(withinProblem);
  const { withinSeconds } = input;
  const { threshold, problem } = ruleThreshold(input.kind, input.threshold);
  if (problem !== undefined) throw new ConfigError(problem);
  return {
    id: resolveId(input.id, options.id),
    name: input.name,
    kind: input.kind,
    severity: input.severity,
    threshold,
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
