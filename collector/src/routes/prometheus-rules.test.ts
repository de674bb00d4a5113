import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Rule } from '../storage/types.js';
import { prometheusRules } from './prometheus-rules.js';

const promtool = spawnSync('promtool', ['--version']).status === 0;
if (!promtool) {
  console.warn(
    'promtool not found: `apt-get install prometheus` to run the promtool check (.ci/run installs it)',
  );
}

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
    expect(alerts.map((alert: { alert: string }) => alert.alert)).toEqual([
      'HeadroomUtilizationWarningTestUtilization',
      'HeadroomUtilizationCriticalCritical',
      'HeadroomPredictiveWarningTestPredictive',
      'HeadroomRateLimitedCriticalTestRateLimited',
      'HeadroomRetryAmplificationWarningTestRetryAmplification',
      'HeadroomNodeExecutionsPerRunWarningTestNodeExecutionsPerRun',
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

  it.skipIf(!promtool)('is accepted by `promtool check rules`', () => {
    const directory = mkdtempSync(join(tmpdir(), 'headroom-rules-'));
    try {
      const path = join(directory, 'headroom-rules.yml');
      writeFileSync(path, prometheusRules(RULES));
      const output = execFileSync('promtool', ['check', 'rules', path], { encoding: 'utf8' });
      expect(output).toContain('SUCCESS: 6 rules found');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
