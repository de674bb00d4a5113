/**
 * The collector's API input: the zod schemas `/api/ceilings`, `/api/rules`, `/api/webhooks` and
 * the config file validate with, and the one-line messages they refuse bad input with. The
 * dashboard's forms check with the same schemas, so they refuse what the collector refuses, in
 * its words.
 */
export {
  type Ceiling,
  type CeilingInput,
  ceilingInputDescription,
  ceilingInputSchema,
  ceilingLimitsProblem,
} from './ceiling.js';
export {
  describeFirstIssue,
  describeIssuesByField,
  type InputDescription,
} from './describe-issue.js';
export { describeValue, LONGEST_SHOWN } from './describe-value.js';
export { didYouMean } from './did-you-mean.js';
export {
  ENABLED_EXPECTED,
  ID_EXPECTED,
  ID_PATTERN,
  idSchema,
  SEVERITY_EXPECTED,
  type Severity,
  severitySchema,
  TEXT_EXPECTED,
  textSchema,
  UPDATED_AT_EXPECTED,
  updatedAtSchema,
} from './fields.js';
export { MASK, maskWebhookUrl } from './mask-webhook-url.js';
export {
  DEFAULT_CLEAR_MARGIN,
  type Rule,
  type RuleInput,
  type RuleSelector,
  ruleInputDescription,
  ruleInputSchema,
  ruleThreshold,
  withinSecondsProblem,
} from './rule.js';
export {
  type KindDefaults,
  RULE_KIND_NAMES,
  RULE_KINDS,
  type RuleKind,
  ruleKindSchema,
} from './rule-kinds.js';
export {
  isHttpUrl,
  MISSING_WEBHOOK_URL,
  maskedUrlProblem,
  WEBHOOK_DEFAULTS,
  type Webhook,
  type WebhookInput,
  webhookInputDescription,
  webhookInputSchema,
  withMaskedUrl,
} from './webhook.js';
