import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Ceiling, Rule } from '../storage/types.js';
import { fleetRules } from './fleet-rules.js';
import { hasPromtool, promtool, promtoolVersion } from './test-helpers.js';

// Prometheus 3 made range selectors left-open: a 1m range at 15 s holds 4 samples, not 5, and
// rate() extrapolates. That moves the rising key's rate (not the steady ones').
const leftOpen = Number(/version (\d+)\./.exec(promtoolVersion.stdout ?? '')?.[1] ?? 2) >= 3;

function rule(kind: Rule['kind'], threshold: number, overrides: Partial<Rule> = {}): Rule {
  return {
    id: `fleet-${kind}`,
    name: `${kind} rule`,
    kind,
    severity: 'warning',
    threshold,
    forSeconds: 0,
    clearMargin: 0.05,
    selector: {},
    enabled: true,
    updatedAt: 0,
    ...overrides,
  };
}

const RULES: Rule[] = [
  rule('utilization', 0.8),
  rule('predictive', 1, { withinSeconds: 60 }),
  rule('rate_limited', 0, { severity: 'critical' }),
  rule('retry_amplification', 1.5),
  rule('node_executions_per_run', 25, { selector: { graph: 'agent' } }),
  rule('utilization', 0.5, { id: 'off', enabled: false }),
];

function ceiling(key: string, provider: string, model: string, rpm: number): Ceiling {
  return { id: `${key}-${model}`, key, provider, model, rpm, updatedAt: 0 };
}

// The least specific first: the most specific must still win for the keys it names.
const CEILINGS: Ceiling[] = [
  ceiling('*', 'openai', '*', 1000),
  ceiling('ramp', 'openai', '*', 400),
  ceiling('prod', 'openai', 'gpt-4o-mini', 300),
];

describe('fleetRules: the fleet view and alerts over the SDK’s own metrics', () => {
  it('records the fleet per key × provider × model and alerts on the recorded series', () => {
    const file = parse(fleetRules(RULES, CEILINGS));
    // One group, the recording rules first: each alert reads this evaluation's fleet series.
    expect(file.groups).toHaveLength(1);
    interface Entry {
      record?: string;
      alert?: string;
      expr: string;
      labels?: { dimension?: string };
    }
    const rules = file.groups[0].rules as Entry[];
    const firstAlert = rules.findIndex((entry) => entry.alert !== undefined);
    expect(rules.slice(firstAlert).every((entry) => entry.alert !== undefined)).toBe(true);
    const recording = { rules: rules.slice(0, firstAlert) };
    const alerting = { rules: rules.slice(firstAlert) };
    expect(file.groups[0].name).toBe('headroom-fleet');
    expect(recording.rules.map((entry) => entry.record)).toContain('headroom:utilization_ratio');
    // The rpm ceiling: the most specific ceiling first, the provider's stated limit last.
    const rpm = recording.rules.find(
      (entry) => entry.record === 'headroom:ceiling' && entry.labels?.dimension === 'rpm',
    )!;
    expect(rpm.expr.indexOf('key="prod"')).toBeLessThan(rpm.expr.indexOf('key="ramp"'));
    expect(rpm.expr.indexOf('key="ramp"')).toBeLessThan(rpm.expr.indexOf('+ 1000'));
    expect(rpm.expr).toContain('headroom_ratelimit_dimension="requests"');
    expect(alerting.rules.map((entry) => entry.alert)).toEqual([
      'HeadroomNearCeiling',
      'HeadroomCeilingSoon',
      'HeadroomRateLimited',
      'HeadroomRetryAmplification',
      'HeadroomNodeLooping',
    ]);
  });

  it.skipIf(!hasPromtool)('is accepted by `promtool check rules`', () => {
    const { output, status } = promtool({ 'rules.yml': fleetRules(RULES, CEILINGS) }, [
      'check',
      'rules',
      'rules.yml',
    ]);
    expect(output).toContain('SUCCESS: 19 rules found');
    expect(status).toBe(0);
  });

  it.skipIf(!hasPromtool)(
    'passes `promtool test rules`: two replicas summed, each rule kind on its figures',
    () => {
      const { output, status } = promtool(
        {
          'rules.yml': fleetRules(RULES, CEILINGS),
          'rules.test.yml': stringify(PROMTOOL_TESTS),
        },
        ['test', 'rules', 'rules.test.yml'],
      );
      expect(output).toContain('SUCCESS');
      expect(status).toBe(0);
    },
  );
});

/** An SDK series of one replica, as its Prometheus endpoint names it. */
function sdk(name: string, replica: 'a' | 'b', key: string, extra: Record<string, string> = {}) {
  const labels = {
    job: 'app',
    instance: `${replica}:9464`,
    headroom_key: key,
    gen_ai_provider_name: 'openai',
    gen_ai_request_model: 'gpt-4o-mini',
    ...extra,
  };
  return `${name}{${Object.entries(labels)
    .map(([label, value]) => `${label}="${value}"`)
    .join(',')}}`;
}

/**
 * c(t) = 0.025 t² requests: at 2 m the rate over the last minute reads 270 a minute (Prometheus
 * 2: (c(120) − c(60)) / 60 s) or 292.5 (3: (c(120) − c(75)) / 45 s), rising by 3 a minute each
 * second either way; 400 is 43.33 s or 35.83 s away.
 */
const RAMP = Array.from({ length: 11 }, (_, index) => 0.025 * (15 * index) ** 2).join(' ');
const RAMP_RPM = leftOpen ? 292.5 : 270;
const RAMP_SECONDS = leftOpen ? '35.83s' : '43.33s';
const BUCKETS = [1, 2, 3, 5, 8, 10, 15, 20, 25, 30, 40, 50, 75, 100, 250];

/**
 * Replicas a and b on key `prod` (300 rpm configured): 2 requests a second each, a's 429s 0.2
 * a second more, 1 call a second each; `dev` 1 a second on a (the `*` ceiling, 1000); `ramp` on a
 * rising toward its 400. One graph run on a in which node `model` of `agent` ran 40 times.
 */
const PROMTOOL_TESTS = {
  rule_files: ['rules.yml'],
  evaluation_interval: '15s',
  tests: [
    {
      interval: '15s',
      input_series: [
        ...(['a', 'b'] as const).flatMap((replica) => [
          {
            series: sdk('headroom_requests_total', replica, 'prod', { headroom_outcome: 'ok' }),
            values: '0+30x20',
          },
          {
            series: sdk('headroom_calls_total', replica, 'prod', { headroom_outcome: 'ok' }),
            values: '0+15x20',
          },
          {
            series: sdk('headroom_tokens_total', replica, 'prod', { gen_ai_token_type: 'input' }),
            values: '0+1500x20',
          },
          {
            series: sdk('headroom_calls_active', replica, 'prod'),
            values: replica === 'a' ? '3x20' : '4x20',
          },
          {
            series: sdk('headroom_key_calls_active_max', replica, 'prod'),
            values: replica === 'a' ? '5x20' : '6x20',
          },
          {
            series: sdk('headroom_ratelimit_limit', replica, 'prod', {
              headroom_ratelimit_dimension: 'tokens',
            }),
            values: '200000x20',
          },
        ]),
        {
          series: sdk('headroom_requests_total', 'a', 'prod', { headroom_outcome: 'rate_limited' }),
          values: '0+3x20',
        },
        {
          series: sdk('headroom_requests_total', 'a', 'dev', { headroom_outcome: 'ok' }),
          values: '0+15x20',
        },
        { series: sdk('headroom_calls_active', 'a', 'dev'), values: '1x20' },
        // A stream on `slow` sends requests whose calls have not ended: no amplification, not +Inf.
        {
          series: sdk('headroom_requests_total', 'b', 'slow', { headroom_outcome: 'ok' }),
          values: '0+15x20',
        },
        {
          series: sdk('headroom_calls_total', 'b', 'slow', { headroom_outcome: 'ok' }),
          values: '0x20',
        },
        { series: sdk('headroom_calls_active', 'b', 'slow'), values: '1x20' },
        {
          series: sdk('headroom_requests_total', 'a', 'ramp', { headroom_outcome: 'ok' }),
          values: RAMP,
        },
        { series: sdk('headroom_calls_active', 'a', 'ramp'), values: '2x20' },
        ...[...BUCKETS, '+Inf'].map((le) => ({
          series: `headroom_graph_node_executions_per_run_bucket{job="app",instance="a:9464",headroom_graph_name="agent",headroom_graph_node="model",le="${le}"}`,
          values: typeof le === 'number' && le < 40 ? '0x20' : '0+1x20',
        })),
      ],
      promql_expr_test: [
        {
          expr: 'headroom:requests_per_minute',
          eval_time: '2m',
          exp_samples: [
            {
              labels:
                'headroom:requests_per_minute{key="prod",provider="openai",model="gpt-4o-mini"}',
              value: 252,
            },
            {
              labels:
                'headroom:requests_per_minute{key="dev",provider="openai",model="gpt-4o-mini"}',
              value: 60,
            },
            {
              labels:
                'headroom:requests_per_minute{key="ramp",provider="openai",model="gpt-4o-mini"}',
              value: RAMP_RPM,
            },
            {
              labels:
                'headroom:requests_per_minute{key="slow",provider="openai",model="gpt-4o-mini"}',
              value: 60,
            },
          ],
        },
        {
          expr: 'headroom:ceiling',
          eval_time: '2m',
          exp_samples: [
            {
              labels:
                'headroom:ceiling{key="prod",provider="openai",model="gpt-4o-mini",dimension="rpm"}',
              value: 300,
            },
            {
              labels:
                'headroom:ceiling{key="ramp",provider="openai",model="gpt-4o-mini",dimension="rpm"}',
              value: 400,
            },
            {
              labels:
                'headroom:ceiling{key="dev",provider="openai",model="gpt-4o-mini",dimension="rpm"}',
              value: 1000,
            },
            {
              labels:
                'headroom:ceiling{key="prod",provider="openai",model="gpt-4o-mini",dimension="tpm"}',
              value: 200000,
            },
            {
              labels:
                'headroom:ceiling{key="slow",provider="openai",model="gpt-4o-mini",dimension="rpm"}',
              value: 1000,
            },
          ],
        },
        {
          expr: 'headroom:tokens_per_minute',
          eval_time: '2m',
          exp_samples: [
            {
              labels:
                'headroom:tokens_per_minute{key="prod",provider="openai",model="gpt-4o-mini"}',
              value: 12000,
            },
          ],
        },
        {
          expr: 'headroom:retry_amplification',
          eval_time: '2m',
          exp_samples: [
            {
              labels:
                'headroom:retry_amplification{key="prod",provider="openai",model="gpt-4o-mini"}',
              value: 2.1,
            },
          ],
        },
        {
          expr: 'headroom:replicas{key="prod"}',
          eval_time: '2m',
          exp_samples: [
            {
              labels: 'headroom:replicas{key="prod",provider="openai",model="gpt-4o-mini"}',
              value: 2,
            },
          ],
        },
        {
          expr: 'headroom:calls_in_flight{key="prod"}',
          eval_time: '2m',
          exp_samples: [
            {
              labels: 'headroom:calls_in_flight{key="prod",provider="openai",model="gpt-4o-mini"}',
              value: 7,
            },
          ],
        },
        {
          expr: 'headroom:calls_in_flight:peak',
          eval_time: '2m',
          exp_samples: [
            {
              labels:
                'headroom:calls_in_flight:peak{key="prod",provider="openai",model="gpt-4o-mini"}',
              value: 11,
            },
          ],
        },
      ],
      alert_rule_test: [
        {
          eval_time: '2m',
          alertname: 'HeadroomNearCeiling',
          exp_alerts: [
            {
              exp_labels: {
                key: 'prod',
                provider: 'openai',
                model: 'gpt-4o-mini',
                dimension: 'rpm',
                severity: 'warning',
                rule: 'fleet-utilization',
              },
              exp_annotations: {
                summary: 'prod openai/gpt-4o-mini is at 84% of its rpm ceiling',
                description: 'Headroom rule "utilization rule" (utilization, threshold 0.8).',
              },
            },
          ],
        },
        {
          eval_time: '2m',
          alertname: 'HeadroomCeilingSoon',
          exp_alerts: [
            {
              exp_labels: {
                key: 'ramp',
                provider: 'openai',
                model: 'gpt-4o-mini',
                dimension: 'rpm',
                severity: 'warning',
                rule: 'fleet-predictive',
              },
              exp_annotations: {
                summary: `ramp openai/gpt-4o-mini reaches its ceiling in ${RAMP_SECONDS} at the current slope`,
                description: 'Headroom rule "predictive rule" (predictive, threshold 1).',
              },
            },
          ],
        },
        {
          eval_time: '2m',
          alertname: 'HeadroomRateLimited',
          exp_alerts: [
            {
              exp_labels: {
                key: 'prod',
                provider: 'openai',
                model: 'gpt-4o-mini',
                severity: 'critical',
                rule: 'fleet-rate_limited',
              },
              exp_annotations: {
                summary: 'prod openai/gpt-4o-mini got 12 429s in the last minute',
                description: 'Headroom rule "rate_limited rule" (rate_limited, threshold 0).',
              },
            },
          ],
        },
        {
          eval_time: '2m',
          alertname: 'HeadroomRetryAmplification',
          exp_alerts: [
            {
              exp_labels: {
                key: 'prod',
                provider: 'openai',
                model: 'gpt-4o-mini',
                severity: 'warning',
                rule: 'fleet-retry_amplification',
              },
              exp_annotations: {
                summary: 'prod openai/gpt-4o-mini sends 2.1 HTTP attempts per call',
                description:
                  'Headroom rule "retry_amplification rule" (retry_amplification, threshold 1.5).',
              },
            },
          ],
        },
        {
          eval_time: '2m',
          alertname: 'HeadroomNodeLooping',
          exp_alerts: [
            {
              exp_labels: {
                graph: 'agent',
                node: 'model',
                severity: 'warning',
                rule: 'fleet-node_executions_per_run',
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
