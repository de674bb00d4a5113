import {
  type RuleInput as ApiRuleInput,
  type WebhookInput as ApiWebhookInput,
  type CeilingInput,
  ceilingInputDescription,
  ceilingInputSchema,
  ceilingLimitsProblem,
  describeIssuesByField,
  MISSING_WEBHOOK_URL,
  maskedUrlProblem,
  type RuleKind,
  type RuleSelector,
  ruleInputDescription,
  ruleInputSchema,
  ruleThreshold,
  type Severity,
  webhookInputDescription,
  webhookInputSchema,
  withinSecondsProblem,
  withMaskedUrl,
} from '@headroom/contract/api';

export type { CeilingInput } from '@headroom/contract/api';

/** What the rule form sends: the API's rule input, its selector and `enabled` always set. */
export type RuleInput = ApiRuleInput & { selector: RuleSelector; enabled: boolean };

/** What the webhook form sends: the API's webhook input, `severities` and `enabled` always set. */
export type WebhookInput = ApiWebhookInput & { severities: Severity[]; enabled: boolean };

/**
 * Messages by field name; empty when the form is fine. Each is the collector's own line for that
 * field (the contract's schemas and `describeIssuesByField`): the form refuses what the collector
 * refuses, in its words, before anything is sent.
 */
export type Errors = Record<string, string>;

type Checked<Input> = { errors: Errors; input?: undefined } | { errors?: undefined; input: Input };

/** A text field as the API takes it: trimmed, and left out when empty. */
function text(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A number field as the API takes it: left out when empty, a number when the text reads as one,
 * else the text itself, so the message quotes what was typed (`got "abc"`), as the collector would.
 */
function numeric(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return DECIMAL.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The fields that are set: the API reads an absent field as "not given". */
function given<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

export interface CeilingValues {
  key: string;
  provider: string;
  model: string;
  rpm: string;
  tpm: string;
  concurrency: string;
  note: string;
}

/** The form's values as the API takes them, or the message of every field that is wrong. */
export function validateCeiling(values: CeilingValues): Checked<CeilingInput> {
  const candidate = given({
    key: text(values.key),
    provider: text(values.provider),
    model: text(values.model),
    rpm: numeric(values.rpm),
    tpm: numeric(values.tpm),
    concurrency: numeric(values.concurrency),
    note: text(values.note),
  });
  const result = ceilingInputSchema.safeParse(candidate);
  const errors: Errors = result.success
    ? {}
    : describeIssuesByField(result.error, candidate, ceilingInputDescription);
  if (errors.rpm === undefined && errors.tpm === undefined && errors.concurrency === undefined) {
    const noLimit = ceilingLimitsProblem(candidate as CeilingInput);
    if (noLimit !== undefined) errors.rpm = noLimit;
  }
  if (!result.success || Object.keys(errors).length > 0) return { errors };
  return { input: result.data };
}

export interface RuleValues {
  name: string;
  kind: RuleKind;
  severity: Severity;
  threshold: string;
  withinSeconds: string;
  forSeconds: string;
  key: string;
  provider: string;
  model: string;
  graph: string;
  node: string;
  enabled: boolean;
}

export function validateRule(values: RuleValues): Checked<RuleInput> {
  const candidate = given({
    name: text(values.name),
    kind: values.kind,
    severity: values.severity,
    threshold: numeric(values.threshold),
    // Only a predictive rule looks ahead: the field is hidden, and not sent, for the others.
    withinSeconds: values.kind === 'predictive' ? numeric(values.withinSeconds) : undefined,
    forSeconds: numeric(values.forSeconds),
    selector: given({
      key: text(values.key),
      provider: text(values.provider),
      model: text(values.model),
      graph: text(values.graph),
      node: text(values.node),
    }),
    enabled: values.enabled,
  });
  const result = ruleInputSchema.safeParse(candidate);
  const errors: Errors = {};
  if (!result.success) {
    const lines = describeIssuesByField(result.error, candidate, ruleInputDescription);
    // The selector's fields are the form's key, provider, model, graph and node.
    for (const [path, line] of Object.entries(lines))
      errors[path.replace(/^selector\./, '')] = line;
  }
  // Past the schema, the checks the collector makes of the kind (numbers by now, where no error).
  if (errors.withinSeconds === undefined) {
    const problem = withinSecondsProblem(
      values.kind,
      candidate.withinSeconds as number | undefined,
    );
    if (problem !== undefined) errors.withinSeconds = problem;
  }
  if (errors.threshold === undefined) {
    const { problem } = ruleThreshold(values.kind, candidate.threshold as number | undefined);
    if (problem !== undefined) errors.threshold = problem;
  }
  if (!result.success || Object.keys(errors).length > 0) return { errors };
  return {
    input: { ...result.data, selector: result.data.selector ?? {}, enabled: values.enabled },
  };
}

export interface WebhookValues {
  url: string;
  /** While editing: the stored URL as the collector shows it, masked; empty when adding. */
  maskedUrl: string;
  warning: boolean;
  critical: boolean;
  enabled: boolean;
}

export function validateWebhook(values: WebhookValues): Checked<WebhookInput> {
  const url = values.url.trim();
  // While editing, an empty URL keeps the stored one: the input leaves `url` out.
  const keep = url === '' && values.maskedUrl !== '';
  const severities: Severity[] = [];
  if (values.warning) severities.push('warning');
  if (values.critical) severities.push('critical');
  const candidate = given({ url: text(url), severities, enabled: values.enabled });
  const result = webhookInputSchema.safeParse(candidate);
  // Messages show a URL masked, as the collector's do: its path is the webhook's secret.
  const errors: Errors = result.success
    ? {}
    : describeIssuesByField(result.error, withMaskedUrl(candidate), webhookInputDescription);
  if (errors.url === undefined) {
    if (url === '' && !keep) errors.url = MISSING_WEBHOOK_URL;
    // The stored URL's own mask means "keep it"; any other masked URL is refused.
    else if (url !== '' && url !== values.maskedUrl) {
      const masked = maskedUrlProblem(url);
      if (masked !== undefined) errors.url = masked;
    }
  }
  if (!result.success || Object.keys(errors).length > 0) return { errors };
  return { input: { ...result.data, severities, enabled: values.enabled } };
}
