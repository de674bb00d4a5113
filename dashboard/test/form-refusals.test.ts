// @vitest-environment node

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CeilingValues,
  type RuleValues,
  validateCeiling,
  validateRule,
  validateWebhook,
  type WebhookValues,
} from '../src/settings/validate.js';
import { resources, startCollector } from './harness.js';

/**
 * The settings forms refuse what the collector refuses, with the collector's own line: each case
 * is a form's values and the JSON they stand for, sent to the real `headroom` process; the form's
 * message for the field is the collector's 400 answer, word for word.
 */
const open = resources();
let collector: Awaited<ReturnType<typeof startCollector>>;

beforeAll(async () => {
  collector = await startCollector(open.directory());
  open.add(() => collector.stop());
}, 30_000);
afterAll(() => open.close());

async function refusal(path: string, body: unknown): Promise<string> {
  const response = await fetch(`${collector.url}/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, JSON.stringify(body)).toBe(400);
  return ((await response.json()) as { error: string }).error;
}

const ceiling: CeilingValues = {
  key: 'prod',
  provider: 'openai',
  model: '*',
  rpm: '',
  tpm: '',
  concurrency: '',
  note: '',
};
const matchers = { key: 'prod', provider: 'openai', model: '*' };

const ceilingCases: Array<[Partial<CeilingValues>, unknown, string]> = [
  [{ tpm: '12.5' }, { ...matchers, tpm: 12.5 }, 'tpm'],
  [{ rpm: '0' }, { ...matchers, rpm: 0 }, 'rpm'],
  [{ concurrency: '-3' }, { ...matchers, concurrency: -3 }, 'concurrency'],
  [{ rpm: '2000000000' }, { ...matchers, rpm: 2e9 }, 'rpm'],
  [{ rpm: 'lots' }, { ...matchers, rpm: 'lots' }, 'rpm'],
  [{}, matchers, 'rpm'],
  [{ key: ' ', rpm: '5' }, { provider: 'openai', model: '*', rpm: 5 }, 'key'],
  [{ model: 'm'.repeat(201), rpm: '5' }, { ...matchers, model: 'm'.repeat(201), rpm: 5 }, 'model'],
  [{ note: 'n'.repeat(1001), rpm: '5' }, { ...matchers, rpm: 5, note: 'n'.repeat(1001) }, 'note'],
];

const rule: RuleValues = {
  name: 'hot',
  kind: 'utilization',
  severity: 'warning',
  threshold: '0.8',
  withinSeconds: '60',
  forSeconds: '',
  key: '',
  provider: '',
  model: '',
  graph: '',
  node: '',
  enabled: true,
};
const sent = { name: 'hot', kind: 'utilization', severity: 'warning', selector: {}, enabled: true };

const ruleCases: Array<[Partial<RuleValues>, unknown, string]> = [
  [{ threshold: '1.2' }, { ...sent, threshold: 1.2 }, 'threshold'],
  [{ threshold: '' }, sent, 'threshold'],
  [{ threshold: 'high' }, { ...sent, threshold: 'high' }, 'threshold'],
  [
    { kind: 'retry_amplification', threshold: '0.5' },
    { ...sent, kind: 'retry_amplification', threshold: 0.5 },
    'threshold',
  ],
  [
    { kind: 'predictive', threshold: '1', withinSeconds: '0' },
    { ...sent, kind: 'predictive', threshold: 1, withinSeconds: 0 },
    'withinSeconds',
  ],
  [
    { kind: 'predictive', threshold: '1', withinSeconds: '' },
    { ...sent, kind: 'predictive', threshold: 1 },
    'withinSeconds',
  ],
  [{ forSeconds: '2.5' }, { ...sent, threshold: 0.8, forSeconds: 2.5 }, 'forSeconds'],
  [{ name: '' }, { ...sent, name: undefined, threshold: 0.8 }, 'name'],
  [
    { graph: 'g'.repeat(201) },
    { ...sent, threshold: 0.8, selector: { graph: 'g'.repeat(201) } },
    'graph',
  ],
];

const webhook: WebhookValues = {
  url: '',
  maskedUrl: '',
  warning: false,
  critical: true,
  enabled: true,
};
const hook = { severities: ['critical'], enabled: true };

const webhookCases: Array<[Partial<WebhookValues>, unknown]> = [
  [{ url: 'ftp://example.com/x' }, { ...hook, url: 'ftp://example.com/x' }],
  [{ url: 'hooks.slack.com/services/T/B/X' }, { ...hook, url: 'hooks.slack.com/services/T/B/X' }],
  [{}, hook],
  [{ url: 'https://hooks.slack.com/…' }, { ...hook, url: 'https://hooks.slack.com/…' }],
  [
    { url: `https://hooks.slack.com/${'s'.repeat(2000)}` },
    { ...hook, url: `https://hooks.slack.com/${'s'.repeat(2000)}` },
  ],
];

describe('the settings forms refuse as the collector does, in its words', () => {
  it.each(ceilingCases)('ceiling %j', async (values, body, field) => {
    const { errors } = validateCeiling({ ...ceiling, ...values });
    expect(errors).toEqual({ [field]: await refusal('ceilings', body) });
  });

  it.each(ruleCases)('rule %j', async (values, body, field) => {
    const { errors } = validateRule({ ...rule, ...values });
    expect(errors).toEqual({ [field]: await refusal('rules', body) });
  });

  it.each(webhookCases)('webhook %j', async (values, body) => {
    const { errors } = validateWebhook({ ...webhook, ...values });
    expect(errors).toEqual({ url: await refusal('webhooks', body) });
  });

  it('and send what the collector takes', async () => {
    const post = async (path: string, input: unknown) =>
      (
        await fetch(`${collector.url}/api/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input),
        })
      ).status;
    expect(await post('ceilings', validateCeiling({ ...ceiling, rpm: '1e3' }).input)).toBe(201);
    expect(await post('rules', validateRule({ ...rule, key: 'prod' }).input)).toBe(201);
    const url = 'https://hooks.slack.com/services/T/B/X';
    expect(await post('webhooks', validateWebhook({ ...webhook, url }).input)).toBe(201);
  });
});
