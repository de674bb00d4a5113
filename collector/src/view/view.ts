import { CounterState } from '../ingest/counter-state.js';
import type {
  Attributes,
  HistogramPoint,
  Metric,
  MetricsRequest,
  NumberPoint,
  TracesRequest,
} from '../otlp/types.js';
import { EdgeTracker } from './edge-tracker.js';
import {
  KeySeries,
  type KeySeries as KeySeriesType,
  type LearnedLimits,
  type ReplicaShare,
} from './key-series.js';
import { GraphSeries, NodeSeries } from './node-series.js';

/** What the view reads of each data point: the contract's attribute names. */
const PROVIDER = 'gen_ai.provider.name';
const MODEL = 'gen_ai.request.model';
const KEY = 'headroom.key';
const GRAPH = 'headroom.graph.name';
const NODE = 'headroom.graph.node';

/** A key as apps without Headroom's SDK are shown: standard GenAI telemetry names no key. */
export const UNNAMED_KEY = 'default';

export interface ViewOptions {
  /** The collector's clock (ms). Data lands in the second it arrives: replicas' clocks may drift. */
  now?: () => number;
}

/**
 * The collector's live view: per key × provider × model and per graph × node, summed over
 * replicas, one value per second for the last hour. Fed with decoded OTLP; read by the snapshot,
 * the live stream and `/metrics`.
 */
export class View {
  readonly keys = new Map<string, KeySeries>();
  readonly nodes = new Map<string, NodeSeries>();
  readonly graphs = new Map<string, GraphSeries>();
  readonly edges = new EdgeTracker();
  readonly now: () => number;
  readonly startedAt: number;
  readonly #counters: CounterState;
  /** Replicas that send Headroom's own metrics: their standard GenAI metrics are not counted twice. */
  readonly #headroomInstances = new Set<string>();
  /** Replicas that send their own key peak: their per-stream peaks only feed the nodes. */
  readonly #keyPeakInstances = new Set<string>();
  /** Replicas whose metrics carry GenAI or Headroom figures: their spans are not counted again. */
  readonly #metricInstances = new Set<string>();
  /** Bumped on every change, so the live stream knows when to send. */
  version = 0;
  points = 0;
  spans = 0;

  constructor({ now = Date.now }: ViewOptions = {}) {
    this.now = now;
    this.startedAt = now();
    this.#counters = new CounterState(this.startedAt);
  }

  second(): number {
    return Math.floor(this.now() / 1000);
  }

  ingestMetrics(request: MetricsRequest): void {
    const now = this.now();
    const second = Math.floor(now / 1000);
    for (const resourceMetrics of request.resourceMetrics) {
      const instance = String(
        resourceMetrics.resource['service.instance.id'] ??
          resourceMetrics.resource['service.name'] ??
          'unknown',
      );
      const service = String(resourceMetrics.resource['service.name'] ?? 'unknown_service');
      const metrics = resourceMetrics.scopes.flatMap((scope) => scope.metrics);
      if (metrics.some((metric) => metric.name.startsWith('headroom.')))
        this.#headroomInstances.add(instance);
      if (metrics.some((metric) => metric.name === 'headroom.key.calls.active.max')) {
        this.#keyPeakInstances.add(instance);
      }
      if (
        metrics.some(
          (metric) => metric.name.startsWith('headroom.') || metric.name.startsWith('gen_ai.'),
        )
      ) {
        this.#metricInstances.add(instance);
      }
      for (const metric of metrics) this.#ingestMetric(metric, instance, service, second, now);
    }
    this.version++;
  }

  #ingestMetric(
    metric: Metric,
    instance: string,
    service: string,
    second: number,
    now: number,
  ): void {
    const stream = (point: { attributes: Attributes }) =>
      `${instance}\u0000${metric.name}\u0000${streamKey(point.attributes)}`;
    const increment = (point: NumberPoint) =>
      metric.kind === 'sum'
        ? this.#counters.increment(
            stream(point),
            metric.temporality,
            point.startTime,
            point.value,
            now,
          )
        : 0;
    this.points += metric.points.length;
    switch (metric.name) {
      case 'headroom.requests':
        for (const point of metric.points as NumberPoint[]) {
          const amount = increment(point);
          if (amount === 0) continue;
          const series = this.#keySeries(point.attributes);
          series.addRequests(
            second,
            amount,
            point.attributes['headroom.outcome'] === 'rate_limited',
          );
          series.replica(instance, service, second).requests.add(second, amount);
        }
        return;
      case 'headroom.calls':
        for (const point of metric.points as NumberPoint[]) {
          const amount = increment(point);
          const series = this.#keySeries(point.attributes);
          series.replica(instance, service, second);
          if (amount === 0) continue;
          series.addCalls(second, amount);
          this.#nodeSeries(point.attributes)?.addCalls(second, amount, series);
        }
        return;
      case 'headroom.tokens':
        for (const point of metric.points as NumberPoint[]) {
          const amount = increment(point);
          if (amount === 0) continue;
          this.#keySeries(point.attributes).addTokens(
            second,
            amount,
            point.attributes['gen_ai.token.type'] === 'output',
          );
        }
        return;
      case 'headroom.calls.active':
        for (const point of metric.points as NumberPoint[]) {
          const share = this.#keySeries(point.attributes).replica(instance, service, second);
          const id = streamKey(point.attributes);
          share.active.set(id, level(metric, share.active.get(id), point.value));
        }
        return;
      case 'headroom.calls.active.max':
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes);
          series
            .replica(instance, service, second)
            .peaks.set(streamKey(point.attributes), point.value);
          if (!this.#keyPeakInstances.has(instance)) {
            series.peakActive.max(second, fleetPeak(series.liveReplicas(second)));
          }
          const node = this.#nodeSeries(point.attributes);
          if (node) {
            node.callPeaks.set(`${instance}\u0000${streamKey(point.attributes)}`, point.value);
            node.callsPeak.max(second, sumOf(node.callPeaks.values()));
          }
        }
        return;
      case 'headroom.key.calls.active.max':
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes);
          series.replica(instance, service, second).keyPeak = point.value;
          series.peakActive.max(second, fleetPeak(series.liveReplicas(second)));
        }
        return;
      case 'headroom.guard.admitted':
      case 'headroom.guard.delayed':
      case 'headroom.guard.rejected':
        for (const point of metric.points as NumberPoint[]) {
          const amount = increment(point);
          const guard = this.#keySeries(point.attributes).guardSeries();
          if (amount === 0) continue;
          const ring =
            metric.name === 'headroom.guard.admitted'
              ? guard.admitted
              : metric.name === 'headroom.guard.delayed'
                ? guard.delayed
                : guard.rejected;
          ring.add(second, amount);
        }
        return;
      case 'headroom.guard.queue.depth':
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes);
          series.guardSeries();
          series.replica(instance, service, second).guardWaiting = point.value;
        }
        return;
      case 'headroom.guard.wait':
        for (const point of metric.points as HistogramPoint[]) {
          const waits = this.#newRuns(metric, stream(point), point, now);
          if (waits === 0) continue;
          const guard = this.#keySeries(point.attributes).guardSeries();
          guard.waits.add(second, waits);
          guard.waitSeconds.add(second, this.#newSum(metric, stream(point), point, now));
        }
        return;
      case 'headroom.ratelimit.limit':
        for (const point of metric.points as NumberPoint[]) {
          const dimension = point.attributes['headroom.ratelimit.dimension'];
          if (typeof dimension !== 'string' || !(dimension in LEARNABLE)) continue;
          this.#keySeries(point.attributes).learned[dimension as keyof LearnedLimits] = point.value;
        }
        return;
      case 'headroom.graph.node.executions':
        for (const point of metric.points as NumberPoint[]) {
          const amount = increment(point);
          if (amount > 0) this.#nodeSeries(point.attributes)?.executions.add(second, amount);
        }
        return;
      case 'headroom.graph.node.active':
        for (const point of metric.points as NumberPoint[]) {
          const node = this.#nodeSeries(point.attributes);
          if (!node) continue;
          const id = `${instance}\u0000${streamKey(point.attributes)}`;
          node.active.set(id, {
            value: level(metric, node.active.get(id)?.value, point.value),
            seenAt: second,
          });
        }
        return;
      case 'headroom.graph.node.active.max':
        for (const point of metric.points as NumberPoint[]) {
          const node = this.#nodeSeries(point.attributes);
          if (!node) continue;
          node.peaks.set(`${instance}\u0000${streamKey(point.attributes)}`, point.value);
          node.activePeak.max(second, sumOf(node.peaks.values()));
        }
        return;
      case 'headroom.graph.node.executions_per_run':
        for (const point of metric.points as HistogramPoint[]) {
          if (this.#newRuns(metric, stream(point), point, now) === 0 || point.max === undefined)
            continue;
          this.#nodeSeries(point.attributes)?.executionsPerRun.max(second, point.max);
        }
        return;
      case 'headroom.graph.run.steps':
        for (const point of metric.points as HistogramPoint[]) {
          const graph = point.attributes[GRAPH];
          if (typeof graph !== 'string' || this.#newRuns(metric, stream(point), point, now) === 0)
            continue;
          const series = this.#graphSeries(graph);
          if (point.max !== undefined) series.steps.max(second, point.max);
          const limit = point.attributes['headroom.graph.recursion_limit'];
          if (typeof limit === 'number') series.recursionLimit = limit;
        }
        return;
      case 'gen_ai.client.operation.duration':
        // Apps with only the standard GenAI instrumentation: each operation is one call, and,
        // seen from here, one request.
        if (this.#headroomInstances.has(instance)) return;
        for (const point of metric.points as HistogramPoint[]) {
          const calls = this.#newRuns(metric, stream(point), point, now);
          if (calls === 0) continue;
          const series = this.#keySeries(point.attributes);
          series.addCalls(second, calls);
          series.addRequests(second, calls, point.attributes['error.type'] === '429');
          series.replica(instance, service, second).requests.add(second, calls);
        }
        return;
      case 'gen_ai.client.token.usage':
        if (this.#headroomInstances.has(instance)) return;
        for (const point of metric.points as HistogramPoint[]) {
          const total = this.#newSum(metric, stream(point), point, now);
          if (total === 0) continue;
          this.#keySeries(point.attributes).addTokens(
            second,
            total,
            point.attributes['gen_ai.token.type'] === 'output',
          );
        }
        return;
    }
  }

  /** What a histogram point's sum grew by (tokens, seconds), temporality handled. */
  #newSum(metric: Metric, stream: string, point: HistogramPoint, now: number): number {
    if (metric.kind !== 'histogram' || point.sum === undefined) return 0;
    return this.#counters.increment(
      `${stream}\u0000sum`,
      metric.temporality,
      point.startTime,
      point.sum,
      now,
    );
  }

  /** New observations in a histogram point (runs, operations), temporality handled. */
  #newRuns(metric: Metric, stream: string, point: HistogramPoint, now: number): number {
    if (metric.kind !== 'histogram') return 0;
    return this.#counters.increment(
      `${stream}\u0000count`,
      metric.temporality,
      point.startTime,
      point.count,
      now,
    );
  }

  /**
   * Spans count only for replicas that send no GenAI or Headroom metrics (traces-only apps):
   * each CLIENT span with `gen_ai.operation.name` is one call and one request.
   */
  ingestTraces(request: TracesRequest): void {
    const second = this.second();
    for (const resourceSpans of request.resourceSpans) {
      const instance = String(
        resourceSpans.resource['service.instance.id'] ??
          resourceSpans.resource['service.name'] ??
          'unknown',
      );
      const service = String(resourceSpans.resource['service.name'] ?? 'unknown_service');
      for (const { scope, spans } of resourceSpans.scopes) {
        this.spans += spans.length;
        for (const span of spans) if (span.kind === 'internal') this.edges.add(span, second);
        if (scope.name === '@headroom/sdk' || this.#metricInstances.has(instance)) continue;
        for (const span of spans) {
          if (
            span.kind !== 'client' ||
            typeof span.attributes['gen_ai.operation.name'] !== 'string'
          )
            continue;
          const series = this.#keySeries(span.attributes);
          series.addCalls(second, 1);
          series.addRequests(second, 1, span.attributes['error.type'] === '429');
          series.replica(instance, service, second).requests.add(second, 1);
          const input = span.attributes['gen_ai.usage.input_tokens'];
          const output = span.attributes['gen_ai.usage.output_tokens'];
          if (typeof input === 'number') series.addTokens(second, input, false);
          if (typeof output === 'number') series.addTokens(second, output, true);
        }
      }
    }
    this.version++;
  }

  #keySeries(attributes: Attributes): KeySeriesType {
    const provider = String(attributes[PROVIDER] ?? attributes['gen_ai.system'] ?? 'unknown');
    const model = String(attributes[MODEL] ?? 'unknown');
    const key = String(attributes[KEY] ?? UNNAMED_KEY);
    const id = `${key}\u0000${provider}\u0000${model}`;
    let series = this.keys.get(id);
    if (series === undefined) {
      series = new KeySeries(key, provider, model, this.second());
      this.keys.set(id, series);
    }
    return series;
  }

  #nodeSeries(attributes: Attributes): NodeSeries | undefined {
    const graph = attributes[GRAPH];
    const node = attributes[NODE];
    if (typeof graph !== 'string' || typeof node !== 'string') return undefined;
    const id = `${graph}\u0000${node}`;
    let series = this.nodes.get(id);
    if (series === undefined) {
      series = new NodeSeries(graph, node);
      this.nodes.set(id, series);
    }
    return series;
  }

  #graphSeries(graph: string): GraphSeries {
    let series = this.graphs.get(graph);
    if (series === undefined) {
      series = new GraphSeries(graph);
      this.graphs.set(graph, series);
    }
    return series;
  }

  /** Streams of replicas silent for an hour are forgotten: memory follows the live fleet. */
  prune(): void {
    this.#counters.prune(this.now() - 3_600_000);
  }

  get streams(): number {
    return this.#counters.size;
  }
}

const LEARNABLE: Record<keyof LearnedLimits, true> = {
  requests: true,
  tokens: true,
  input_tokens: true,
  output_tokens: true,
};

/**
 * An up-down counter's level: cumulative points carry the level itself, delta points the change.
 */
function level(metric: Metric, previous: number | undefined, value: number): number {
  if (metric.kind === 'sum' && metric.temporality === 'delta') return (previous ?? 0) + value;
  return value;
}

/**
 * The fleet's peak in flight: each replica's own key peak where it sends one, else the sum of its
 * streams' peaks (an upper bound). Replicas peak at different moments, so this sum is itself an
 * upper bound of the fleet's true peak, and exact when the replicas' peaks overlap.
 */
function fleetPeak(replicas: ReplicaShare[]): number {
  let total = 0;
  for (const share of replicas)
    total += Math.max(share.keyPeak ?? share.peakNow(), share.activeNow());
  return total;
}

function sumOf(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** A stable identity for an attribute set, whatever order the sender wrote it in. */
export function streamKey(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length > 1) keys.sort();
  let id = '';
  for (const key of keys) {
    const value = attributes[key];
    id += `${key}=${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}\u0001`;
  }
  return id;
}
