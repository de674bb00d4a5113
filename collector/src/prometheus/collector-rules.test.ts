import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Rule } from '../storage/types.js';
import { prometheusRules } from './collector-rules.js';
import { hasPromtool, promtool } from './test-helpers.js';

function rule(kind: Rule['kind'], overrides: Partial<Rule> = {}): Rule {
  return {
    id: `test-${kind}`,
    name: `${kind} rule`,
    kind,
    severity: 'warning',
    threshold:
      kind === 'utilization'
        ? 0.8
        : kind === 'retry_amplification'
          ? 1.5
          : kind === 'node_executions_per_run'
            ? 25
            : 0,
    forSeconds: 10,
    clearMargin: 0.05,
    selector: {},
    enabled: true,
    updatedAt: 0,
    ...overrides,
  };
}

const RULES: Rule[] = [
  rule('utilization'),
  rule('utilization', {
    id: 'critical',
    severity: 'critical',
    threshold: 0.95,
    selector: { key: 'prod "eu"', provider: 'openai', model: '*' },
  }),
  rule('predictive', { withinSeconds: 60 }),
  rule('rate_limited', { severity: 'critical', forSeconds: 0 }),
  rule('retry_amplification'),
  rule('node_executions_per_run', { selector: { graph: 'agent', node: 'model' } }),
  rule('utilization', { id: 'off', enabled: false }),
];

describe('prometheusRules', () => {
  it('compiles every enabled rule into an alert over the collector metrics', () => {
    const file = parse(prometheusRules(RULES));
    const alerts = file.groups[0].rules;
    // One name per kind of problem; the severity and the rule are labels.
    expect(alerts.map((alert: { alert: string }) => alert.alert)).toEqual([
      'HeadroomNearCeiling',
      'HeadroomNearCeiling',
      'HeadroomCeilingSoon',
      'HeadroomRateLimited',
      'HeadroomRetryAmplification',
      'HeadroomNodeLooping',
    ]);
    expect(alerts[1]).toMatchObject({
      expr: 'headroom_utilization_ratio{key="prod \\"eu\\"",provider="openai"} >= 0.95',
      for: '10s',
      labels: { severity: 'critical', rule: 'critical' },
    });
    expect(alerts[3].expr).toBe('headroom_rate_limited_per_minute{} > 0');
    expect(alerts[5].expr).toBe(
      'headroom_node_max_executions_per_run{graph="agent",node="model"} > 25',
    );
  });

  it.skipIf(!hasPromtool)('is accepted by `promtool check rules`', () => {
    const { output, status } = promtool({ 'headroom-rules.yml': prometheusRules(RULES) }, [
      'check',
      'rules',
      'headroom-rules.yml',
    ]);
    expect(output).toContain('SUCCESS: 6 rules found');
    expect(status).toBe(0);
  });

  it.skipIf(!hasPromtool)(
    'passes `promtool test rules`: each kind fires on its figures, and only then',
    () => {
      const { output, status } = promtool(
        {
          'headroom-rules.yml': prometheusRules(RULES),
          'headroom-rules.test.yml': stringify(PROMTOOL_TESTS),
        },
        ['test', 'rules', 'headroom-rules.test.yml'],
      );
      expect(output).toContain('SUCCESS');
      expect(status).toBe(0);
    },
  );
});

const labels = { key: 'prod', provider: 'openai', model: 'gpt-4o-mini' };
const series = (name: string, extra: Record<string, string> = {}) =>
  `${name}{${Object.entries({ ...labels, ...extra })
    .map(([label, value]) => `${label}="${value}"`)
    .join(',')}}`;
const near = { ...labels, key: 'near' };
const far = { ...labels, key: 'far' };
const seriesOf = (name: string, at: Record<string, string>) =>
  `${name}{${Object.entries(at)
    .map(([label, value]) => `${label}="${value}"`)
    .join(',')}}`;

/**
 * `promtool test rules` cases for RULES, on the collector's gauges sampled every 15 s. The
 * predictive one: two keys whose RPM grows by 10 each 15 s (0.67 a second); `near` has 45 s of
 * headroom left at 5 m (it fires), `far` about 50 minutes (it must not: the slope is per second).
 */
const PROMTOOL_TESTS = {
  rule_files: ['headroom-rules.yml'],
  evaluation_interval: '15s',
  tests: [
    {
      interval: '15s',
      input_series: [
        {
          series: series('headroom_utilization_ratio', { dimension: 'rpm' }),
          values: '0.5 0.85x20',
        },
        { series: seriesOf('headroom_requests_per_minute', near), values: '100+10x20' },
        { series: seriesOf('headroom_ceiling', { ...near, dimension: 'rpm' }), values: '330x20' },
        { series: seriesOf('headroom_requests_per_minute', far), values: '100+10x20' },
        { series: seriesOf('headroom_ceiling', { ...far, dimension: 'rpm' }), values: '2300x20' },
        { series: series('headroom_rate_limited_per_minute'), values: '0 0 3x20' },
        { series: series('headroom_retry_amplification'), values: '1.2 1.2 2x20' },
        {
          series: 'headroom_node_max_executions_per_run{graph="agent",node="model"}',
          values: '3 3 40x20',
        },
      ],
      alert_rule_test: [
        { eval_time: '0s', alertname: 'HeadroomNearCeiling', exp_alerts: [] },
        {
          eval_time: '1m',
          alertname: 'HeadroomNearCeiling',
          exp_alerts: [
            {
              exp_labels: {
                ...labels,
                dimension: 'rpm',
                severity: 'warning',
                rule: 'test-utilization',
              },
              exp_annotations: {
                summary: 'prod openai/gpt-4o-mini is at 85% of its rpm ceiling',
                description: 'Headroom rule "utilization rule" (utilization, threshold 0.8).',
              },
            },
          ],
        },
        {
          eval_time: '5m',
          alertname: 'HeadroomCeilingSoon',
          exp_alerts: [
            {
              exp_labels: { ...near, severity: 'warning', rule: 'test-predictive' },
              exp_annotations: {
                summary: 'near openai/gpt-4o-mini reaches its ceiling in 45s at the current slope',
                description: 'Headroom rule "predictive rule" (predictive, threshold 0).',
              },
            },
          ],
        },
        {
          eval_time: '30s',
          alertname: 'HeadroomRateLimited',
          exp_alerts: [
            {
              exp_labels: { ...labels, severity: 'critical', rule: 'test-rate_limited' },
              exp_annotations: {
                summary: 'prod openai/gpt-4o-mini got 3 429s in the last minute',
                description: 'Headroom rule "rate_limited rule" (rate_limited, threshold 0).',
              },
            },
          ],
        },
        { eval_time: '15s', alertname: 'HeadroomRetryAmplification', exp_alerts: [] },
        {
          eval_time: '1m',
          alertname: 'HeadroomRetryAmplification',
          exp_alerts: [
            {
              exp_labels: { ...labels, severity: 'warning', rule: 'test-retry_amplification' },
              exp_annotations: {
                summary: 'prod openai/gpt-4o-mini sends 2 HTTP attempts per call',
                description:
                  'Headroom rule "retry_amplification rule" (retry_amplification, threshold 1.5).',
              },
            },
          ],
        },
        {
          eval_time: '1m',
          alertname: 'HeadroomNodeLooping',
          exp_alerts: [
            {
              exp_labels: {
                graph: 'agent',
                node: 'model',
                severity: 'warning',
                rule: 'test-node_executions_per_run',
              },
              exp_annotations: {
                summary: 'node model of agent ran 40 times in one run',
                description:
                  'Headroom rule "node_executions_per_run rule" (node_executions_per_run, threshold 25).',
              },
            },
          ],
        },
      ],
    },
  ],
};
