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
      rpm: 'Set at least one of RPM, TPM or concurrency',
    });
  });

  it('takes limits as positive whole numbers only', () => {
    expect(validateCeiling({ ...ceiling, rpm: '0', tpm: '1.5', concurrency: '-3' }).errors).toEqual(
      {
        rpm: 'RPM must be a positive whole number',
        tpm: 'TPM must be a positive whole number',
        concurrency: 'Concurrency must be a positive whole number',
      },
    );
    expect(validateCeiling({ ...ceiling, rpm: '2000000000' }).errors).toEqual({
      rpm: 'RPM must be at most 1,000,000,000',
    });
  });

  it('needs key, provider and model, `*` allowed', () => {
    expect(validateCeiling({ ...ceiling, key: ' ', provider: '', rpm: '5' }).errors).toEqual({
      key: 'Enter a key, or * for any',
      provider: 'Enter a provider, or * for any',
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
    for (const threshold of ['0', '1.2', 'abc', '']) {
      expect(validateRule({ ...rule, threshold }).errors).toEqual({
        threshold:
          'Utilization threshold must be above 0 and at most 1 (0.8 is 80 % of the ceiling)',
      });
    }
    expect(validateRule({ ...rule, threshold: '1' }).input?.threshold).toBe(1);
  });

  it('needs a look-ahead for a predictive rule, and sends none for others', () => {
    expect(
      validateRule({ ...rule, kind: 'predictive', threshold: '1', withinSeconds: '0' }).errors,
    ).toEqual({
      withinSeconds: 'Look ahead must be a whole number of seconds from 1 to 3600',
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
        threshold: 'Retry amplification threshold must be 1 or more attempts per call',
      },
    );
    expect(
      validateRule({ ...rule, kind: 'node_executions_per_run', threshold: '0' }).errors,
    ).toEqual({
      threshold: 'Executions per run must be 1 or more',
    });
    expect(validateRule({ ...rule, kind: 'rate_limited', threshold: '' }).input).not.toHaveProperty(
      'threshold',
    );
  });

  it('needs a name and a whole hold time', () => {
    expect(validateRule({ ...rule, name: '', forSeconds: '2.5' }).errors).toEqual({
      name: 'Enter a name for the rule',
      forSeconds: 'Hold time must be a whole number of seconds from 0 to 3600',
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
    expect(validateWebhook(values).errors).toEqual({ url: 'Enter the webhook URL' });
    expect(validateWebhook({ ...values, url: 'ftp://example.com/x' }).errors).toEqual({
      url: 'Enter an http:// or https:// URL',
    });
    expect(validateWebhook({ ...values, url: 'hooks.slack.com/x' }).errors).toEqual({
      url: 'Enter an http:// or https:// URL',
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
    expect(validateWebhook({ ...values, url: 'slack' }).errors).toEqual({
      url: 'Enter an http:// or https:// URL',
    });
  });
});
