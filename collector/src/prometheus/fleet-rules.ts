import { stringify } from 'yaml';
import type { Ceiling, Dimension, Rule } from '../storage/types.js';
import { alertingRule } from './alert-text.js';
import { braced, literalMatchers, selectorMatchers } from './matchers.js';

/**
 * The fleet view and the alert rules as a Prometheus rules file over what every replica's SDK
 * exports (its Prometheus endpoint scraped, or an OpenTelemetry Collector writing to
 * Prometheus), with no Headroom collector in the path. Recording rules sum the replicas per key ×
 * provider × model (labels `key`, `provider`, `model`); the ceilings are series of their own, the
 * configured ones first (the most specific match per dimension, as the collector resolves them),
 * else the limit the provider states in its headers; the alerting rules, after them in the same
 * group, read the recorded series.
 */
export function fleetRules(
  rules: readonly Rule[],
  ceilings: readonly Ceiling[],
  { interval = '15s' }: { interval?: string } = {},
): string {
  const recording = [
    record('headroom:requests_per_minute', `${sumByKey(`rate(${SDK.requests}[1m])`)} * 60`),
    record('headroom:tokens_per_minute', `${sumByKey(`rate(${SDK.tokens}[1m])`)} * 60`),
    record('headroom:calls_in_flight', sumByKey(SDK.active)),
    // Each replica's peak since its previous export, summed: at most what the fleet had at once.
    record('headroom:calls_in_flight:peak', sumByKey(`max_over_time(${SDK.keyPeak}[1m])`)),
    record(
      'headroom:rate_limited_per_minute',
      `${sumByKey(`rate(${SDK.requests}{headroom_outcome="rate_limited"}[1m])`)} * 60`,
    ),
    // Attempts per call ended; none while no call ended (a stream, a retry still going).
    record(
      'headroom:retry_amplification',
      `${sumByKey(`rate(${SDK.requests}[1m])`)} / (${sumByKey(`rate(${SDK.calls}[1m])`)} > 0)`,
    ),
    record(
      'headroom:replicas',
      `count by (${KEY_LABELS}) (group by (${KEY_LABELS}, job, instance) (${keyed(SDK.active)}))`,
    ),
    ...(['rpm', 'tpm', 'concurrency'] as const).flatMap((dimension) => {
      const expr = ceilingExpression(dimension, ceilings);
      return expr === undefined ? [] : [record('headroom:ceiling', expr, { dimension })];
    }),
    record('headroom:use', 'headroom:requests_per_minute', { dimension: 'rpm' }),
    record('headroom:use', 'headroom:tokens_per_minute', { dimension: 'tpm' }),
    record('headroom:use', 'headroom:calls_in_flight', { dimension: 'concurrency' }),
    record('headroom:utilization_ratio', 'headroom:use / (headroom:ceiling > 0)'),
    // The bound of the bucket the longest loop of the last 5 minutes fell in.
    record(
      'headroom:node_executions_per_run:max',
      `histogram_quantile(1, sum by (graph, node, le) (${nodeLabels(`rate(${SDK.executionsPerRun}[5m])`)}))`,
    ),
  ];
  const alerts = rules
    .filter((rule) => rule.enabled)
    .map((rule) => alertingRule(rule, alertExpression(rule)));
  // One group: Prometheus evaluates a group's rules in order, so each alert reads the fleet
  // series recorded in the same evaluation (groups run concurrently: an alert in a group of its
  // own could read them one interval old).
  return stringify(
    { groups: [{ name: 'headroom-fleet', interval, rules: [...recording, ...alerts] }] },
    { lineWidth: 0 },
  );
}

/** The SDK's instruments as Prometheus names them (dots to underscores, counters `_total`). */
const SDK = {
  requests: 'headroom_requests_total',
  calls: 'headroom_calls_total',
  tokens: 'headroom_tokens_total',
  active: 'headroom_calls_active',
  keyPeak: 'headroom_key_calls_active_max',
  limit: 'headroom_ratelimit_limit',
  executionsPerRun: 'headroom_graph_node_executions_per_run_bucket',
} as const;

const KEY_LABELS = 'key, provider, model';

/** `headroom_key`, `gen_ai_provider_name` and `gen_ai_request_model` as `key`, `provider`, `model`. */
function keyed(expr: string): string {
  const renamed = [
    ['key', 'headroom_key'],
    ['provider', 'gen_ai_provider_name'],
    ['model', 'gen_ai_request_model'],
  ].reduce(
    (inner, [to, from]) => `label_replace(${inner}, "${to}", "$1", "${from}", "(.*)")`,
    expr,
  );
  return renamed;
}

function nodeLabels(expr: string): string {
  return `label_replace(label_replace(${expr}, "graph", "$1", "headroom_graph_name", "(.*)"), "node", "$1", "headroom_graph_node", "(.*)")`;
}

function sumByKey(expr: string): string {
  return `sum by (${KEY_LABELS}) (${keyed(expr)})`;
}

function record(name: string, expr: string, labels?: Record<string, string>) {
  return labels === undefined ? { record: name, expr } : { record: name, expr, labels };
}

/** What the providers' headers call each dimension a ceiling can set. */
const STATED: Partial<Record<Dimension, string>> = { rpm: 'requests', tpm: 'tokens' };

/**
 * One dimension's ceiling per key × provider × model in flight or seen: the configured ceilings
 * that set it, most specific first, each over the keys it matches (`or` keeps the first that has
 * a series), then the provider's stated limit (the highest a replica heard).
 */
function ceilingExpression(dimension: Dimension, ceilings: readonly Ceiling[]): string | undefined {
  const configured = ceilings
    .filter((ceiling) => ceiling[dimension] !== undefined)
    .map((ceiling, index) => ({ ceiling, index, score: specificity(ceiling) }))
    // Most literal fields first; among equals the first listed, as the collector matches them.
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ ceiling }) => {
      const selector = braced(
        literalMatchers({ key: ceiling.key, provider: ceiling.provider, model: ceiling.model }),
      );
      return `(0 * headroom:calls_in_flight${selector} + ${ceiling[dimension]})`;
    });
  const stated = STATED[dimension];
  if (stated !== undefined)
    configured.push(
      `max by (${KEY_LABELS}) (${keyed(`${SDK.limit}{headroom_ratelimit_dimension="${stated}"}`)})`,
    );
  return configured.length === 0 ? undefined : configured.join(' or ');
}

function specificity(ceiling: Ceiling): number {
  return [ceiling.key, ceiling.provider, ceiling.model].filter((field) => field !== '*').length;
}

function alertExpression(rule: Rule): string {
  const key = braced(selectorMatchers(rule, ['key', 'provider', 'model']));
  switch (rule.kind) {
    case 'utilization':
      return `headroom:utilization_ratio${key} >= ${rule.threshold}`;
    case 'rate_limited':
      return `headroom:rate_limited_per_minute${key} > ${rule.threshold}`;
    case 'retry_amplification':
      return `headroom:retry_amplification${key} > ${rule.threshold}`;
    case 'node_executions_per_run':
      return `headroom:node_executions_per_run:max${braced(selectorMatchers(rule, ['graph', 'node']))} > ${rule.threshold}`;
    case 'predictive': {
      // Seconds until use reaches the ceiling at the slope of the last minute (deriv() is per
      // second), while use is below it and rising. Not in a key's first minute: its rate over
      // 1 m is still filling then, and rises whatever the traffic does.
      const within = rule.withinSeconds ?? 120;
      const selector = braced([
        ...selectorMatchers(rule, ['key', 'provider', 'model']),
        'dimension=~"rpm|tpm"',
      ]);
      const use = `headroom:use${selector}`;
      return `(headroom:ceiling${selector} - ${use}) / (deriv(${use}[1m]) > 0) <= ${within} and ${use} < headroom:ceiling${selector} and on (${KEY_LABELS}) (headroom:requests_per_minute offset 1m)`;
    }
  }
}
