import type { ActiveAlert } from '../alerts/index.js';
import type { Dropped } from '../view/limits.js';
import type { Snapshot } from '../view/snapshot.js';

/** The `kind` label of each limit, singular as Prometheus labels go. */
const KINDS: Record<keyof Dropped, string> = {
  series: 'key',
  nodes: 'node',
  graphs: 'graph',
  replicas: 'replica',
  replicasPerKey: 'key_replica',
  edges: 'edge',
  streams: 'stream',
};

interface Family {
  help: string;
  type: 'gauge' | 'counter';
  samples: Array<[Record<string, string>, number]>;
}

/**
 * The collector's view in the Prometheus text format (version 0.0.4), with the names and labels
 * of the team's design: one family per figure, labels provider, model, key, graph, node.
 */
export function prometheusText(
  view: Snapshot,
  alerts: readonly ActiveAlert[] = [],
  /** Counters kept outside the view; the collector is one. */
  counters: { readonly webhookNotificationsSuppressed?: number } = {},
): string {
  const families = new Map<string, Family>();
  const sample = (
    name: string,
    help: string,
    labels: Record<string, string>,
    value: number | null,
    type: Family['type'] = 'gauge',
  ) => {
    if (value === null || !Number.isFinite(value)) return;
    let family = families.get(name);
    if (family === undefined) {
      family = { help, type, samples: [] };
      families.set(name, family);
    }
    family.samples.push([labels, value]);
  };
  for (const key of view.keys) {
    const labels = { provider: key.provider, model: key.model, key: key.key };
    sample(
      'headroom_requests_per_minute',
      'HTTP requests to the provider over the last 60 s, all replicas',
      labels,
      key.requestsPerMinute,
    );
    sample(
      'headroom_tokens_per_minute',
      'Tokens over the last 60 s, all replicas',
      labels,
      key.tokensPerMinute,
    );
    sample(
      'headroom_active_calls',
      'Model calls in flight now, all replicas',
      labels,
      key.activeCalls,
    );
    sample(
      'headroom_rate_limited_per_minute',
      '429 responses over the last 60 s',
      labels,
      key.rateLimitedPerMinute,
    );
    sample(
      'headroom_retry_amplification',
      'HTTP attempts per logical call over the last 60 s',
      labels,
      key.retryAmplification,
    );
    // Counters since the collector first saw the key, for rate() and increase().
    const counter = (name: string, help: string, value: number, extra = {}) =>
      sample(name, help, { ...labels, ...extra }, value, 'counter');
    counter(
      'headroom_requests_total',
      'HTTP requests to the provider, 429s included, all replicas',
      key.totals.requests,
    );
    counter('headroom_rate_limited_total', '429 responses, all replicas', key.totals.rateLimited);
    counter('headroom_calls_total', 'Logical model calls, all replicas', key.totals.calls);
    counter('headroom_tokens_total', 'Tokens, all replicas', key.totals.inputTokens, {
      type: 'input',
    });
    counter('headroom_tokens_total', 'Tokens, all replicas', key.totals.outputTokens, {
      type: 'output',
    });
    if (key.guard !== undefined) {
      sample('headroom_guard_waiting', 'Calls waiting in the guard now', labels, key.guard.waiting);
      sample(
        'headroom_guard_admitted_per_minute',
        'Attempts the guard let go over the last 60 s',
        labels,
        key.guard.admittedPerMinute,
      );
      sample(
        'headroom_guard_delayed_per_minute',
        'Attempts the guard let go after a wait, over the last 60 s',
        labels,
        key.guard.delayedPerMinute,
      );
      sample(
        'headroom_guard_rejected_per_minute',
        'Calls the guard refused without sending, over the last 60 s',
        labels,
        key.guard.rejectedPerMinute,
      );
      sample(
        'headroom_guard_average_wait_seconds',
        'Mean wait of an attempt in the guard over the last 60 s',
        labels,
        key.guard.averageWaitSeconds,
      );
    }
    sample(
      'headroom_replicas',
      'Replicas that used the key in the last 60 s',
      labels,
      key.replicas.length,
    );
    for (const [dimension, ceiling] of Object.entries(key.ceilings)) {
      sample(
        'headroom_ceiling',
        'Ceiling per dimension (configured or learned)',
        { ...labels, dimension, source: ceiling.source },
        ceiling.value,
      );
    }
    for (const [dimension, ratio] of Object.entries(key.utilization)) {
      sample(
        'headroom_utilization_ratio',
        'Use divided by ceiling, per dimension',
        { ...labels, dimension },
        ratio,
      );
    }
  }
  for (const node of view.nodes) {
    const labels = { graph: node.graph, node: node.node };
    sample(
      'headroom_node_executions_per_second',
      'Executions of a graph node per second over the last 60 s',
      labels,
      node.executionsPerSecond,
    );
    sample(
      'headroom_node_max_executions_per_run',
      'Most executions of a graph node in one run, over the last 60 s',
      labels,
      node.maxExecutionsPerRun,
    );
    sample(
      'headroom_node_active_executions',
      'Executions of a graph node running now',
      labels,
      node.activeExecutions,
    );
  }
  const firing = new Map<string, { rule: string; severity: string; count: number }>();
  for (const alert of alerts) {
    if (alert.state !== 'firing') continue;
    const id = `${alert.ruleId}\u0000${alert.severity}`;
    const entry = firing.get(id) ?? { rule: alert.ruleId, severity: alert.severity, count: 0 };
    entry.count++;
    firing.set(id, entry);
  }
  for (const { rule, severity, count } of firing.values()) {
    sample(
      'headroom_alerts_firing',
      'Alerts firing now, per rule and severity',
      { rule, severity },
      count,
    );
  }
  if (counters.webhookNotificationsSuppressed !== undefined) {
    sample(
      'headroom_webhook_notifications_suppressed_total',
      'Webhook notifications held back by the per-alert and per-webhook bounds per minute',
      {},
      counters.webhookNotificationsSuppressed,
      'counter',
    );
  }
  for (const [limit, kind] of Object.entries(KINDS) as Array<[keyof Dropped, string]>) {
    sample(
      'headroom_series_dropped_total',
      "Distinct series (keys, nodes, replicas, edges, counter streams) turned away by the collector's limits",
      { kind },
      view.dropped[limit],
      'counter',
    );
    sample(
      'headroom_series_limit',
      'How many of each kind the collector holds at most',
      { kind },
      view.limits[limit],
    );
  }
  let text = '';
  for (const [name, family] of families) {
    text += `# HELP ${name} ${family.help}\n# TYPE ${name} ${family.type}\n`;
    for (const [labels, value] of family.samples) {
      const formatted = formatLabels(labels);
      text += `${name}${formatted === '' ? '' : `{${formatted}}`} ${value}\n`;
    }
  }
  return text;
}

function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(
      ([name, value]) =>
        `${name}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`,
    )
    .join(',');
}
