import { describe, expect, it } from 'vitest';
import { type RuleValues, validateCeiling, validateRule, validateWebhook } from './validate';

const ceiling = {
  key: 'prod',
  provider: 'openai',
  model: '*',
  rpm: '',
  tpm: '',
  concurrency: '',
  note: '',
};
const rule: RuleValues = {
  name: 'tight',
  kind: 'utilization',
  severity: 'warning',
  threshold: '0.7',
  withinSeconds: '60',
  forSeconds: '',
  key: '',
  provider: '',
  model: '',
  graph: '',
  node: '',
  enabled: true,
};

describe('validateCeiling', () => {
  it('asks for at least one limit', () => {
    expect(validateCeiling(ceiling).errors).toEqual({
      rpm: 'Expected at least one of `rpm`, `tpm` or `concurrency`, got none',
    });
  });

  it('takes limits as positive whole numbers only', () => {
    expect(validateCeiling({ ...ceiling, rpm: '0', tpm: '1.5', concurrency: '-3' }).errors).toEqual(
      {
        rpm: 'Expected `rpm` to be a positive integer, got 0',
        tpm: 'Expected `tpm` to be a positive integer, got 1.5',
        concurrency: 'Expected `concurrency` to be a positive integer, got -3',
      },
    );
    expect(validateCeiling({ ...ceiling, rpm: '2000000000' }).errors).toEqual({
      rpm: 'Expected `rpm` to be at most 1000000000, got 2000000000',
    });
  });

  it('needs key, provider and model, `*` allowed', () => {
    expect(validateCeiling({ ...ceiling, key: ' ', provider: '', rpm: '5' }).errors).toEqual({
      key: 'Missing `key`: expected a string of 1 to 200 characters (`*` for any)',
      provider: 'Missing `provider`: expected a string of 1 to 200 characters (`*` for any)',
    });
  });

  it('gives the API only the fields set, trimmed', () => {
    expect(
      validateCeiling({ ...ceiling, key: ' prod ', rpm: '500', concurrency: '20' }).input,
    ).toEqual({
      key: 'prod',
      provider: 'openai',
      model: '*',
      rpm: 500,
      concurrency: 20,
    });
  });
});

describe('validateRule', () => {
  it('keeps a utilization threshold above 0 and at most 1', () => {
    const range = 'a number above 0 and at most 1 for a utilization rule';
    expect(validateRule({ ...rule, threshold: '0' }).errors).toEqual({
      threshold: `Expected \`threshold\` to be ${range}, got 0`,
    });
    expect(validateRule({ ...rule, threshold: '1.2' }).errors).toEqual({
      threshold: `Expected \`threshold\` to be ${range}, got 1.2`,
    });
    expect(validateRule({ ...rule, threshold: '' }).errors).toEqual({
      threshold: `Missing \`threshold\`: expected ${range}`,
    });
    // Text that is no number is quoted, as the collector quotes a string it was sent.
    expect(validateRule({ ...rule, threshold: 'abc' }).errors).toEqual({
      threshold: 'Expected `threshold` to be a finite number, got "abc"',
    });
    expect(validateRule({ ...rule, threshold: '1' }).input?.threshold).toBe(1);
  });

  it('needs a look-ahead for a predictive rule, and sends none for others', () => {
    expect(
      validateRule({ ...rule, kind: 'predictive', threshold: '1', withinSeconds: '0' }).errors,
    ).toEqual({
      withinSeconds: 'Expected `withinSeconds` to be an integer from 1 to 3600, got 0',
    });
    expect(
      validateRule({ ...rule, kind: 'predictive', threshold: '1', withinSeconds: '90' }).input,
    ).toMatchObject({
      kind: 'predictive',
      withinSeconds: 90,
    });
    expect(validateRule(rule).input).not.toHaveProperty('withinSeconds');
  });

  it('checks the other kinds against their ranges', () => {
    expect(validateRule({ ...rule, kind: 'retry_amplification', threshold: '0.5' }).errors).toEqual(
      {
        threshold:
          'Expected `threshold` to be a number from 1 up for a retry_amplification rule, got 0.5',
      },
    );
    expect(
      validateRule({ ...rule, kind: 'node_executions_per_run', threshold: '0' }).errors,
    ).toEqual({
      threshold:
        'Expected `threshold` to be a number from 1 up for a node_executions_per_run rule, got 0',
    });
    expect(validateRule({ ...rule, kind: 'rate_limited', threshold: '' }).input).not.toHaveProperty(
      'threshold',
    );
  });

  it('needs a name and a whole hold time', () => {
    expect(validateRule({ ...rule, name: '', forSeconds: '2.5' }).errors).toEqual({
      name: 'Missing `name`: expected a string of 1 to 200 characters',
      forSeconds: 'Expected `forSeconds` to be an integer from 0 to 3600, got 2.5',
    });
  });

  it('sends the selector fields that are set', () => {
    expect(validateRule({ ...rule, key: 'prod', node: 'plan', forSeconds: '5' }).input).toEqual({
      name: 'tight',
      kind: 'utilization',
      severity: 'warning',
      threshold: 0.7,
      forSeconds: 5,
      selector: { key: 'prod', node: 'plan' },
      enabled: true,
    });
  });
});

describe('validateWebhook', () => {
  it('takes http and https URLs only', () => {
    const values = { url: '', maskedUrl: '', warning: false, critical: true, enabled: true };
    expect(validateWebhook(values).errors).toEqual({
      url: 'Missing `url`: expected an http or https URL',
    });
    // Shown masked, as the collector shows a URL: the path may be the secret.
    expect(validateWebhook({ ...values, url: 'ftp://example.com/x' }).errors).toEqual({
      url: 'Expected `url` to be an http or https URL, got "ftp://example.com/…"',
    });
    expect(validateWebhook({ ...values, url: 'hooks.slack.com/x' }).errors).toEqual({
      url: 'Expected `url` to be an http or https URL, got "hooks.slack.com/…"',
    });
    expect(validateWebhook({ ...values, url: 'https://hooks.slack.com/…' }).errors).toEqual({
      url: 'url: https://hooks.slack.com/… is a masked URL, as the API shows it; send the whole URL, or leave `url` out to keep the stored one',
    });
    expect(
      validateWebhook({ ...values, url: 'https://hooks.slack.com/services/T/B/X' }).input,
    ).toEqual({
      url: 'https://hooks.slack.com/services/T/B/X',
      severities: ['critical'],
      enabled: true,
    });
  });

  it('while editing, an empty URL keeps the stored one: the input leaves `url` out', () => {
    const values = {
      url: '',
      maskedUrl: 'https://hooks.slack.com/…',
      warning: true,
      critical: false,
      enabled: false,
    };
    expect(validateWebhook(values).input).toEqual({ severities: ['warning'], enabled: false });
    expect(
      validateWebhook({ ...values, url: 'https://hooks.slack.com/services/T/B/Y' }).input,
    ).toEqual({
      url: 'https://hooks.slack.com/services/T/B/Y',
      severities: ['warning'],
      enabled: false,
    });
    // The stored URL's own mask keeps it, as leaving the field empty does.
    expect(validateWebhook({ ...values, url: values.maskedUrl }).input).toEqual({
      url: values.maskedUrl,
      severities: ['warning'],
      enabled: false,
    });
    expect(validateWebhook({ ...values, url: 'slack' }).errors).toEqual({
      url: 'Expected `url` to be an http or https URL, got "slack"',
    });
  });
});
