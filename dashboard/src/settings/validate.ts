import type { RuleKind, Severity } from '../api/types';

/** Messages by field name; empty when the form is fine. */
export type Errors = Record<string, string>;

const MAX_TEXT = 200;
const MAX_LIMIT = 1e9;

export interface CeilingValues {
  key: string;
  provider: string;
  model: string;
  rpm: string;
  tpm: string;
  concurrency: string;
  note: string;
}

export interface CeilingInput {
  key: string;
  provider: string;
  model: string;
  rpm?: number;
  tpm?: number;
  concurrency?: number;
  note?: string;
}

/** The form's values as the API takes them, or the message of every field that is wrong. */
export function validateCeiling(
  values: CeilingValues,
): { errors: Errors; input?: undefined } | { errors?: undefined; input: CeilingInput } {
  const errors: Errors = {};
  const matcher = (name: 'key' | 'provider' | 'model', what: string) => {
    const text = values[name].trim();
    if (text === '') errors[name] = `Enter a ${what}, or * for any`;
    else if (text.length > MAX_TEXT) errors[name] = `At most ${MAX_TEXT} characters`;
    return text;
  };
  const key = matcher('key', 'key');
  const provider = matcher('provider', 'provider');
  const model = matcher('model', 'model');
  const rpm = limit(values.rpm, 'RPM', 'rpm', errors);
  const tpm = limit(values.tpm, 'TPM', 'tpm', errors);
  const concurrency = limit(values.concurrency, 'Concurrency', 'concurrency', errors);
  if (
    values.rpm.trim() === '' &&
    values.tpm.trim() === '' &&
    values.concurrency.trim() === '' &&
    errors.rpm === undefined
  )
    errors.rpm = 'Set at least one of RPM, TPM or concurrency';
  const note = values.note.trim();
  if (note.length > 1000) errors.note = 'At most 1000 characters';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    input: {
      key,
      provider,
      model,
      ...(rpm !== undefined && { rpm }),
      ...(tpm !== undefined && { tpm }),
      ...(concurrency !== undefined && { concurrency }),
      ...(note !== '' && { note }),
    },
  };
}

function limit(text: string, label: string, name: string, errors: Errors): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || value <= 0) {
    errors[name] = `${label} must be a positive whole number`;
    return undefined;
  }
  if (value > MAX_LIMIT) {
    errors[name] = `${label} must be at most 1,000,000,000`;
    return undefined;
  }
  return value;
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

export interface RuleInput {
  name: string;
  kind: RuleKind;
  severity: Severity;
  threshold?: number;
  withinSeconds?: number;
  forSeconds?: number;
  clearMargin?: number;
  selector: { key?: string; provider?: string; model?: string; graph?: string; node?: string };
  enabled: boolean;
}

interface ThresholdRule {
  required: boolean;
  accepts(value: number): boolean;
  message: string;
}

/** Per kind, the threshold's range as the collector checks it (config/rule-kinds.ts). */
export const THRESHOLDS: Readonly<Record<RuleKind, ThresholdRule>> = {
  utilization: {
    required: true,
    accepts: (value) => value > 0 && value <= 1,
    message: 'Utilization threshold must be above 0 and at most 1 (0.8 is 80 % of the ceiling)',
  },
  predictive: {
    required: false,
    accepts: (value) => value > 0 && value <= 1,
    message: 'Threshold must be above 0 and at most 1 (1 is the ceiling itself)',
  },
  rate_limited: {
    required: false,
    accepts: (value) => value >= 0,
    message: 'Threshold must be 0 or more 429s per minute',
  },
  retry_amplification: {
    required: false,
    accepts: (value) => value >= 1,
    message: 'Retry amplification threshold must be 1 or more attempts per call',
  },
  node_executions_per_run: {
    required: false,
    accepts: (value) => value >= 1,
    message: 'Executions per run must be 1 or more',
  },
};

export function validateRule(
  values: RuleValues,
): { errors: Errors; input?: undefined } | { errors?: undefined; input: RuleInput } {
  const errors: Errors = {};
  const name = values.name.trim();
  if (name === '') errors.name = 'Enter a name for the rule';
  else if (name.length > MAX_TEXT) errors.name = `At most ${MAX_TEXT} characters`;

  let threshold: number | undefined;
  const thresholdRule = THRESHOLDS[values.kind];
  const thresholdText = values.threshold.trim();
  if (thresholdText === '') {
    if (thresholdRule.required) errors.threshold = thresholdRule.message;
  } else {
    threshold = Number(thresholdText);
    if (!Number.isFinite(threshold) || !thresholdRule.accepts(threshold))
      errors.threshold = thresholdRule.message;
  }

  let withinSeconds: number | undefined;
  if (values.kind === 'predictive') {
    withinSeconds = wholeNumber(values.withinSeconds, 1, 3600);
    if (withinSeconds === undefined)
      errors.withinSeconds = 'Look ahead must be a whole number of seconds from 1 to 3600';
  }

  let forSeconds: number | undefined;
  if (values.forSeconds.trim() !== '') {
    forSeconds = wholeNumber(values.forSeconds, 0, 3600);
    if (forSeconds === undefined)
      errors.forSeconds = 'Hold time must be a whole number of seconds from 0 to 3600';
  }

  const selector: RuleInput['selector'] = {};
  for (const field of ['key', 'provider', 'model', 'graph', 'node'] as const) {
    const text = values[field].trim();
    if (text.length > MAX_TEXT) errors[field] = `At most ${MAX_TEXT} characters`;
    else if (text !== '') selector[field] = text;
  }

  if (Object.keys(errors).length > 0) return { errors };
  return {
    input: {
      name,
      kind: values.kind,
      severity: values.severity,
      ...(threshold !== undefined && { threshold }),
      ...(withinSeconds !== undefined && { withinSeconds }),
      ...(forSeconds !== undefined && { forSeconds }),
      selector,
      enabled: values.enabled,
    },
  };
}

function wholeNumber(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : undefined;
}

export interface WebhookValues {
  url: string;
  /** While editing: the stored URL as the collector shows it, masked; empty when adding. */
  maskedUrl: string;
  warning: boolean;
  critical: boolean;
  enabled: boolean;
}

export interface WebhookInput {
  /** Left out while editing: the collector keeps the stored URL. */
  url?: string;
  severities: Severity[];
  enabled: boolean;
}

export function validateWebhook(
  values: WebhookValues,
): { errors: Errors; input?: undefined } | { errors?: undefined; input: WebhookInput } {
  const errors: Errors = {};
  const url = values.url.trim();
  const keep = url === '' && values.maskedUrl !== '';
  if (url === '' && !keep) errors.url = 'Enter the webhook URL';
  else if (url.length > 2000) errors.url = 'At most 2000 characters';
  else if (!keep && !isHttpUrl(url)) errors.url = 'Enter an http:// or https:// URL';
  if (Object.keys(errors).length > 0) return { errors };
  const severities: Severity[] = [];
  if (values.warning) severities.push('warning');
  if (values.critical) severities.push('critical');
  return { input: { ...(keep ? {} : { url }), severities, enabled: values.enabled } };
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol, host } = new URL(text);
    return (protocol === 'http:' || protocol === 'https:') && host !== '';
  } catch {
    return false;
  }
}
