import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_HEADROOM_GRAPH_NAME,
  ATTR_HEADROOM_GRAPH_NODE,
  ATTR_HEADROOM_GRAPH_RECURSION_LIMIT,
  ATTR_HEADROOM_OUTCOME,
  ATTR_HEADROOM_RATELIMIT_DIMENSION,
  ATTR_HEADROOM_RATELIMIT_ORGANIZATION,
  ATTR_HEADROOM_RATELIMIT_PROJECT,
  ATTR_HEADROOM_RETRY_LAYER,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  METRIC_CALLS,
  METRIC_CALLS_ACTIVE,
  METRIC_CALLS_ACTIVE_MAX,
  METRIC_GEN_AI_CLIENT_INFERENCE_DURATION,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_GUARD_ADMITTED,
  METRIC_GUARD_DELAYED,
  METRIC_GUARD_QUEUE_DEPTH,
  METRIC_GUARD_REJECTED,
  METRIC_GUARD_WAIT,
  METRIC_KEY_CALLS_ACTIVE_MAX,
  METRIC_NODE_ACTIVE,
  METRIC_NODE_ACTIVE_MAX,
  METRIC_NODE_EXECUTIONS,
  METRIC_NODE_EXECUTIONS_PER_RUN,
  METRIC_RATELIMIT_LIMIT,
  METRIC_RATELIMIT_REMAINING,
  METRIC_REQUESTS,
  METRIC_RETRIES,
  METRIC_RUN_STEPS,
  METRIC_TOKENS,
  type Outcome,
} from '@headroom/contract';
import { CounterState } from '../ingest/counter-state.js';
import type {
  Attributes,
  HistogramPoint,
  Metric,
  MetricsRequest,
  NumberPoint,
  TracesRequest,
} from '../otlp/types.js';
import { DroppedIds } from './dropped-ids.js';
import { EdgeTracker } from './edge-tracker.js';
import { keyName } from './key-name.js';
import {
  type KeyAccount,
  KeySeries,
  type KeySeries as KeySeriesType,
  type LearnedLimits,
  liveSum,
  type ReplicaShare,
} from './key-series.js';
import { type Dropped, type Limits, resolveLimits } from './limits.js';
import { GraphSeries, NodeSeries } from './node-series.js';
import { isRateLimitError } from './rate-limit-error.js';
import { RecencyTable } from './recency-table.js';
import { SpanLedger } from './span-ledger.js';
import { shortName, streamKey } from './stream-key.js';
import { WINDOW_SECONDS } from './window.js';

export { UNNAMED_KEY } from './key-name.js';
export { streamKey } from './stream-key.js';

export interface ViewOptions {
  /** The collector's clock (ms). Data lands in the second it arrives: replicas' clocks may drift. */
  now?: () => number;
  /** How much the view holds of each kind; the defaults of DEFAULT_LIMITS for those left out. */
  limits?: Partial<Limits>;
  /**
   * Attributes (of the point or its resource) that name the key of data with no `headroom.key`,
   * the first present winning: e.g. `gen_ai.openai.api_key_id` (`--key-attribute`). See keyName.
   */
  keyAttributes?: readonly string[];
}

/**
 * A full table lets its least recently seen entry go once it has been silent this long: nothing
 * of it is left in the 60 s window, and its last minute is in the rollups (written every minute).
 */
export const MAKE_ROOM_AFTER_SECONDS = 2 * WINDOW_SECONDS;

/** What the view knows of one replica, whatever key it uses. */
interface Instance {
  lastSeen: number;
  /** It sends Headroom's own metrics: its standard GenAI metrics are not counted twice. */
  headroom: boolean;
  /** It sends its own key peak: its per-stream peaks only feed the nodes. */
  keyPeak: boolean;
  /** Its metrics carry GenAI or Headroom figures: its spans are not counted again. */
  metrics: boolean;
}

/**
 * The collector's live view: per key × provider × model and per graph × node, summed over
 * replicas, one value per second for the last hour. Fed with decoded OTLP; read by the snapshot,
 * the live stream and `/metrics`.
 */
export class View {
  /**
   * Every table below is capped by `limits` and kept least recently seen first: a full table
   * lets its oldest entry go once silent for MAKE_ROOM_AFTER_SECONDS, otherwise the newcomer is
   * dropped and counted (`dropped()`); `prune()` evicts what was idle for `limits.idleSeconds`.
   */
  readonly keys: RecencyTable<KeySeries>;
  readonly nodes: RecencyTable<NodeSeries>;
  readonly graphs: RecencyTable<GraphSeries>;
  readonly edges: EdgeTracker;
  readonly limits: Readonly<Limits>;
  readonly now: () => number;
  readonly startedAt: number;
  readonly #counters: CounterState;
  /** The replicas known, whatever their keys: capped by `limits.replicas`. */
  readonly #instances: RecencyTable<Instance>;
  readonly #dropped = {
    series: new DroppedIds(),
    nodes: new DroppedIds(),
    graphs: new DroppedIds(),
    replicas: new DroppedIds(),
    replicasPerKey: new DroppedIds(),
  };
  readonly #keyAttributes: readonly string[];
  /** The resource of the export being read: unnamed keys are named after its service. */
  #resource: Attributes = {};
  /** What spans counted for replicas whose metrics have not come yet, to take back when they do. */
  readonly #spanLedger = new SpanLedger();
  /** The key series one replica's export reached, for their guard levels once it is read. */
  readonly #touched = new Set<KeySeriesType>();
  /** Bumped on every change, so the live stream knows when to send. */
  version = 0;
  points = 0;
  spans = 0;

  constructor({ now = Date.now, limits, keyAttributes = [] }: ViewOptions = {}) {
    this.now = now;
    this.#keyAttributes = keyAttributes;
    this.startedAt = now();
    this.limits = resolveLimits(limits);
    this.keys = new RecencyTable(this.limits.series, MAKE_ROOM_AFTER_SECONDS);
    this.nodes = new RecencyTable(this.limits.nodes, MAKE_ROOM_AFTER_SECONDS);
    this.graphs = new RecencyTable(this.limits.graphs, MAKE_ROOM_AFTER_SECONDS);
    this.#instances = new RecencyTable(this.limits.replicas, MAKE_ROOM_AFTER_SECONDS);
    this.edges = new EdgeTracker({ maxEdges: this.limits.edges });
    this.#counters = new CounterState(this.startedAt, {
      maxStreams: this.limits.streams,
      makeRoomAfterMs: MAKE_ROOM_AFTER_SECONDS * 1000,
    });
  }

  second(): number {
    return Math.floor(this.now() / 1000);
  }

  ingestMetrics(request: MetricsRequest): void {
    const now = this.now();
    const second = Math.floor(now / 1000);
    for (const resourceMetrics of request.resourceMetrics) {
      const instance = String(
        resourceMetrics.resource[ATTR_SERVICE_INSTANCE_ID] ??
          resourceMetrics.resource[ATTR_SERVICE_NAME] ??
          'unknown',
      );
      const service = String(resourceMetrics.resource[ATTR_SERVICE_NAME] ?? 'unknown_service');
      const metrics = resourceMetrics.scopes.flatMap((scope) => scope.metrics);
      const known = this.#instance(instance, second);
      if (known === undefined) {
        for (const metric of metrics) this.points += metric.points.length;
        continue;
      }
      if (metrics.some((metric) => metric.name.startsWith('headroom.'))) known.headroom = true;
      if (metrics.some((metric) => metric.name === METRIC_KEY_CALLS_ACTIVE_MAX)) {
        known.keyPeak = true;
      }
      const figures = metrics.filter(
        (metric) => metric.name.startsWith('headroom.') || metric.name.startsWith('gen_ai.'),
      );
      if (figures.length > 0 && !known.metrics) {
        known.metrics = true;
        // The spans counted so far are counted again by these metrics if they start with the
        // process (or are deltas); if they started before the collector they are a baseline,
        // and the spans keep the count of what came before.
        if (figures.some((metric) => this.#countsFromStart(metric)))
          this.#spanLedger.retract(known);
      }
      this.#resource = resourceMetrics.resource;
      for (const metric of metrics)
        this.#ingestMetric(metric, known, instance, service, second, now);
      // In flight and waiting of one export are read together: the guard's levels now.
      for (const series of this.#touched) series.recordGuardLevels(second);
      this.#touched.clear();
    }
    this.version++;
  }

  /**
   * Every case finds the series a point belongs to before it reads the counter state: a point
   * of a dropped series costs a lookup and creates nothing.
   */
  #ingestMetric(
    metric: Metric,
    known: Instance,
    instance: string,
    service: string,
    second: number,
    now: number,
  ): void {
    const stream = (point: { attributes: Attributes }) =>
      `${instance}\u0000${shortName(metric.name)}\u0000${streamKey(point.attributes)}`;
    const increment = (point: NumberPoint, series: { readmittedAt: number | undefined }) =>
      metric.kind === 'sum'
        ? this.#counters.increment(
            stream(point),
            metric.temporality,
            point.startTime,
            point.value,
            now,
            series.readmittedAt,
          )
        : 0;
    this.points += metric.points.length;
    switch (metric.name) {
      case METRIC_REQUESTS:
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          const amount = increment(point, series);
          if (amount === 0) continue;
          series.addRequests(
            second,
            amount,
            point.attributes[ATTR_HEADROOM_OUTCOME] === ('rate_limited' satisfies Outcome),
          );
          this.#share(series, instance, service, second)?.requests.add(second, amount);
        }
        return;
      case METRIC_CALLS:
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          this.#share(series, instance, service, second);
          const node = this.#nodeSeries(point.attributes, second);
          const amount = increment(point, series);
          if (amount === 0) continue;
          series.addCalls(second, amount);
          node?.addCalls(second, amount, series);
        }
        return;
      case METRIC_RETRIES:
        for (const point of metric.points as NumberPoint[]) {
          const layer = point.attributes[ATTR_HEADROOM_RETRY_LAYER];
          if (layer !== 'client' && layer !== 'framework' && layer !== 'app') continue;
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          const amount = increment(point, series);
          if (amount === 0) continue;
          series.addRetries(second, amount, layer);
        }
        return;
      case METRIC_TOKENS:
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          const amount = increment(point, series);
          if (amount === 0) continue;
          series.addTokens(second, amount, point.attributes[ATTR_GEN_AI_TOKEN_TYPE] === 'output');
        }
        return;
      case METRIC_CALLS_ACTIVE:
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          const share = this.#share(series, instance, service, second);
          if (share === undefined) continue;
          const id = streamKey(point.attributes);
          const before = share.active.get(id)?.value ?? 0;
          const value = level(metric, before, point.value);
          share.active.set(id, { value, seenAt: second });
          // Calls started = calls ended + the rise in flight, both reported in this second.
          series.started.add(second, value - before);
          series.exports.max(second, 1);
        }
        return;
      case METRIC_CALLS_ACTIVE_MAX:
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          this.#share(series, instance, service, second)?.peaks.set(streamKey(point.attributes), {
            value: point.value,
            seenAt: second,
          });
          if (!known.keyPeak) {
            series.peakActive.max(second, fleetPeak(series.liveReplicas(second), second));
          }
          const node = this.#nodeSeries(point.attributes, second);
          if (node) {
            node.callPeaks.set(`${instance}\u0000${streamKey(point.attributes)}`, {
              value: point.value,
              seenAt: second,
            });
            node.callsPeak.max(second, liveSum(node.callPeaks.values(), second));
          }
        }
        return;
      case METRIC_KEY_CALLS_ACTIVE_MAX:
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          const share = this.#share(series, instance, service, second);
          if (share !== undefined) share.keyPeak = point.value;
          series.peakActive.max(second, fleetPeak(series.liveReplicas(second), second));
        }
        return;
      case METRIC_GUARD_ADMITTED:
      case METRIC_GUARD_DELAYED:
      case METRIC_GUARD_REJECTED:
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          const guard = series.guardSeries();
          const amount = increment(point, series);
          if (amount === 0) continue;
          const ring =
            metric.name === METRIC_GUARD_ADMITTED
              ? guard.admitted
              : metric.name === METRIC_GUARD_DELAYED
                ? guard.delayed
                : guard.rejected;
          ring.add(second, amount);
        }
        return;
      case METRIC_GUARD_QUEUE_DEPTH:
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          series.guardSeries();
          const share = this.#share(series, instance, service, second);
          if (share !== undefined) share.guardWaiting = point.value;
        }
        return;
      case METRIC_GUARD_WAIT:
        for (const point of metric.points as HistogramPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          const waits = this.#histogramGrowth(
            metric,
            stream(point),
            point,
            'count',
            now,
            series.readmittedAt,
          );
          if (waits === 0) continue;
          const guard = series.guardSeries();
          guard.waits.add(second, waits);
          guard.waitSeconds.add(
            second,
            this.#histogramGrowth(metric, stream(point), point, 'sum', now, series.readmittedAt),
          );
        }
        return;
      case METRIC_RATELIMIT_LIMIT:
        for (const point of metric.points as NumberPoint[]) {
          const dimension = point.attributes[ATTR_HEADROOM_RATELIMIT_DIMENSION];
          if (typeof dimension !== 'string' || !(dimension in LEARNABLE)) continue;
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          series.learned[dimension as keyof LearnedLimits] = point.value;
          series.account = keyAccount(point.attributes);
        }
        return;
      case METRIC_RATELIMIT_REMAINING:
        // Read beside the limits to tell keys that draw on one budget (see `keyBudgets`).
        for (const point of metric.points as NumberPoint[]) {
          const dimension = point.attributes[ATTR_HEADROOM_RATELIMIT_DIMENSION];
          if (typeof dimension !== 'string' || !(dimension in LEARNABLE)) continue;
          if (!Number.isFinite(point.value) || point.value < 0) continue;
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          series.remaining[dimension as keyof LearnedLimits] = {
            value: point.value,
            seenAt: second,
          };
        }
        return;
      case METRIC_NODE_EXECUTIONS:
        for (const point of metric.points as NumberPoint[]) {
          const node = this.#nodeSeries(point.attributes, second);
          if (node === undefined) continue;
          const amount = increment(point, node);
          if (amount > 0) node.executions.add(second, amount);
        }
        return;
      case METRIC_NODE_ACTIVE:
        for (const point of metric.points as NumberPoint[]) {
          const node = this.#nodeSeries(point.attributes, second);
          if (!node) continue;
          const id = `${instance}\u0000${streamKey(point.attributes)}`;
          node.active.set(id, {
            value: level(metric, node.active.get(id)?.value, point.value),
            seenAt: second,
          });
        }
        return;
      case METRIC_NODE_ACTIVE_MAX:
        for (const point of metric.points as NumberPoint[]) {
          const node = this.#nodeSeries(point.attributes, second);
          if (!node) continue;
          node.peaks.set(`${instance}\u0000${streamKey(point.attributes)}`, {
            value: point.value,
            seenAt: second,
          });
          node.activePeak.max(second, liveSum(node.peaks.values(), second));
        }
        return;
      case METRIC_NODE_EXECUTIONS_PER_RUN:
        for (const point of metric.points as HistogramPoint[]) {
          const node = this.#nodeSeries(point.attributes, second);
          if (node === undefined) continue;
          if (
            this.#histogramGrowth(metric, stream(point), point, 'count', now) === 0 ||
            point.max === undefined
          )
            continue;
          node.executionsPerRun.max(second, point.max);
        }
        return;
      case METRIC_RUN_STEPS:
        for (const point of metric.points as HistogramPoint[]) {
          const graph = point.attributes[ATTR_HEADROOM_GRAPH_NAME];
          if (typeof graph !== 'string') continue;
          const series = this.#graphSeries(graph, second);
          if (
            series === undefined ||
            this.#histogramGrowth(metric, stream(point), point, 'count', now) === 0
          )
            continue;
          if (point.max !== undefined) series.steps.max(second, point.max);
          const limit = point.attributes[ATTR_HEADROOM_GRAPH_RECURSION_LIMIT];
          if (typeof limit === 'number') series.recursionLimit = limit;
        }
        return;
      case METRIC_GEN_AI_CLIENT_OPERATION_DURATION:
      case METRIC_GEN_AI_CLIENT_INFERENCE_DURATION:
        // Apps with only the standard GenAI instrumentation: each operation is one call, and,
        // seen from here, one request. The released conventions name the histogram
        // `operation.duration`, the current experimental ones (`gen_ai_latest_experimental`)
        // `inference.duration`; a sender emits one or the other.
        if (known.headroom) return;
        for (const point of metric.points as HistogramPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          const calls = this.#histogramGrowth(
            metric,
            stream(point),
            point,
            'count',
            now,
            series.readmittedAt,
          );
          if (calls === 0) continue;
          series.addCalls(second, calls);
          series.addRequests(second, calls, isRateLimitError(point.attributes[ATTR_ERROR_TYPE]));
          this.#share(series, instance, service, second)?.requests.add(second, calls);
        }
        return;
      case METRIC_GEN_AI_CLIENT_TOKEN_USAGE:
        if (known.headroom) return;
        for (const point of metric.points as HistogramPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          const total = this.#histogramGrowth(
            metric,
            stream(point),
            point,
            'sum',
            now,
            series.readmittedAt,
          );
          if (total === 0) continue;
          series.addTokens(second, total, point.attributes[ATTR_GEN_AI_TOKEN_TYPE] === 'output');
        }
        return;
      case METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS:
      case METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS:
        // The experimental conventions count tokens with a counter per direction, broken down
        // by `gen_ai.token.modality`: the modalities add up to the direction's total.
        if (known.headroom) return;
        for (const point of metric.points as NumberPoint[]) {
          const series = this.#keySeries(point.attributes, second);
          if (series === undefined) continue;
          const amount = increment(point, series);
          if (amount === 0) continue;
          series.addTokens(
            second,
            amount,
            metric.name === METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
          );
        }
        return;
    }
  }

  /** Whether the metric's first points count in full (see CounterState), not as a baseline. */
  #countsFromStart(metric: Metric): boolean {
    if (metric.kind !== 'sum' && metric.kind !== 'histogram') return false;
    if (metric.temporality === 'delta') return true;
    return (metric.points as Array<{ startTime: number }>).some(
      (point) => point.startTime >= this.startedAt,
    );
  }

  /**
   * What a histogram point's `count` (observations: runs, operations) or `sum` (tokens,
   * seconds) grew by, temporality handled; each is a stream of its own.
   */
  #histogramGrowth(
    metric: Metric,
    stream: string,
    point: HistogramPoint,
    field: 'count' | 'sum',
    now: number,
    readmittedAt?: number,
  ): number {
    const value = point[field];
    if (metric.kind !== 'histogram' || value === undefined) return 0;
    return this.#counters.increment(
      `${stream}\u0000${field}`,
      metric.temporality,
      point.startTime,
      value,
      now,
      readmittedAt,
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
        resourceSpans.resource[ATTR_SERVICE_INSTANCE_ID] ??
          resourceSpans.resource[ATTR_SERVICE_NAME] ??
          'unknown',
      );
      const service = String(resourceSpans.resource[ATTR_SERVICE_NAME] ?? 'unknown_service');
      const known = this.#instance(instance, second);
      this.#resource = resourceSpans.resource;
      for (const { scope, spans } of resourceSpans.scopes) {
        this.spans += spans.length;
        if (known === undefined) continue;
        for (const span of spans) if (span.kind === 'internal') this.edges.add(span, second);
        if (scope.name === '@headroom/sdk' || known.metrics) continue;
        for (const span of spans) {
          if (
            span.kind !== 'client' ||
            typeof span.attributes[ATTR_GEN_AI_OPERATION_NAME] !== 'string'
          )
            continue;
          const series = this.#keySeries(span.attributes, second);
          if (series === undefined) continue;
          const rateLimited = isRateLimitError(span.attributes[ATTR_ERROR_TYPE]);
          series.addCalls(second, 1);
          series.addRequests(second, 1, rateLimited);
          const share = this.#share(series, instance, service, second);
          share?.requests.add(second, 1);
          const input = span.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS];
          const output = span.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS];
          const inputTokens = typeof input === 'number' ? input : 0;
          const outputTokens = typeof output === 'number' ? output : 0;
          if (inputTokens !== 0) series.addTokens(second, inputTokens, false);
          if (outputTokens !== 0) series.addTokens(second, outputTokens, true);
          this.#spanLedger.add({
            owner: known,
            series,
            share,
            second,
            rateLimited,
            inputTokens,
            outputTokens,
          });
        }
      }
    }
    this.#spanLedger.expire(second);
    this.#touched.clear();
    this.version++;
  }

  /** The key's series, marked seen; undefined when the series table is full (dropped). */
  #keySeries(attributes: Attributes, second: number): KeySeriesType | undefined {
    const provider = String(
      attributes[ATTR_GEN_AI_PROVIDER_NAME] ?? attributes[ATTR_GEN_AI_SYSTEM] ?? 'unknown',
    );
    const model = String(attributes[ATTR_GEN_AI_REQUEST_MODEL] ?? 'unknown');
    const key = keyName(attributes, this.#resource, this.#keyAttributes);
    const id = `${key}\u0000${provider}\u0000${model}`;
    let created = false;
    const series = this.keys.take(id, second, () => {
      created = true;
      return new KeySeries(key, provider, model, second, this.limits.replicasPerKey);
    });
    if (series === undefined) this.#dropped.series.add(id);
    // Turned away before: its counters' values hold what was dropped, not what is new.
    else if (created && this.#dropped.series.has(id)) series.readmittedAt = this.now();
    return series;
  }

  #share(
    series: KeySeriesType,
    instance: string,
    service: string,
    second: number,
  ): ReplicaShare | undefined {
    const share = series.replica(instance, service, second);
    this.#touched.add(series);
    if (share === undefined)
      this.#dropped.replicasPerKey.add(
        `${series.key}\u0000${series.provider}\u0000${series.model}\u0000${instance}`,
      );
    return share;
  }

  #nodeSeries(attributes: Attributes, second: number): NodeSeries | undefined {
    const graph = attributes[ATTR_HEADROOM_GRAPH_NAME];
    const node = attributes[ATTR_HEADROOM_GRAPH_NODE];
    if (typeof graph !== 'string' || typeof node !== 'string') return undefined;
    const id = `${graph}\u0000${node}`;
    let created = false;
    const series = this.nodes.take(id, second, () => {
      created = true;
      return new NodeSeries(graph, node);
    });
    if (series === undefined) this.#dropped.nodes.add(id);
    else if (created && this.#dropped.nodes.has(id)) series.readmittedAt = this.now();
    return series;
  }

  #graphSeries(graph: string, second: number): GraphSeries | undefined {
    const series = this.graphs.take(graph, second, () => new GraphSeries(graph));
    if (series === undefined) this.#dropped.graphs.add(graph);
    return series;
  }

  #instance(instance: string, second: number): Instance | undefined {
    const known = this.#instances.take(instance, second, () => ({
      lastSeen: second,
      headroom: false,
      keyPeak: false,
      metrics: false,
    }));
    if (known === undefined) this.#dropped.replicas.add(instance);
    return known;
  }

  /**
   * Once a minute: evicts the series, nodes, graphs, replicas and streams idle for
   * `limits.idleSeconds` (their second-by-second history is zeros by then), and the replicas and
   * streams of live series gone past the replica TTL. O(everything held).
   */
  prune(): void {
    const second = this.second();
    const idleBefore = second - this.limits.idleSeconds + 1;
    this.keys.prune(idleBefore);
    this.nodes.prune(idleBefore);
    this.graphs.prune(idleBefore);
    this.#instances.prune(idleBefore);
    this.edges.prune(second);
    for (const series of this.keys.values()) series.prune(second);
    for (const node of this.nodes.values()) node.prune(second, WINDOW_SECONDS);
    this.#counters.prune(this.now() - this.limits.idleSeconds * 1000 + 1);
    this.version++;
  }

  get streams(): number {
    return this.#counters.size;
  }

  /** Distinct entries each limit turned away since the view started. */
  dropped(): Dropped {
    return {
      series: this.#dropped.series.count,
      nodes: this.#dropped.nodes.count,
      graphs: this.#dropped.graphs.count,
      replicas: this.#dropped.replicas.count,
      replicasPerKey: this.#dropped.replicasPerKey.count,
      edges: this.edges.dropped,
      streams: this.#counters.dropped,
    };
  }

  /** Entries held of each kind, against `limits`. */
  held(): Dropped {
    let replicasPerKey = 0;
    for (const series of this.keys.values())
      replicasPerKey = Math.max(replicasPerKey, series.replicas.size);
    return {
      series: this.keys.size,
      nodes: this.nodes.size,
      graphs: this.graphs.size,
      replicas: this.#instances.size,
      replicasPerKey,
      edges: this.edges.size,
      streams: this.#counters.size,
    };
  }
}

/** `headroom.ratelimit.organization` and `.project` of a ratelimit point, when it has them. */
function keyAccount(attributes: Attributes): KeyAccount | undefined {
  const organization = attributes[ATTR_HEADROOM_RATELIMIT_ORGANIZATION];
  if (typeof organization !== 'string' || organization === '') return undefined;
  const project = attributes[ATTR_HEADROOM_RATELIMIT_PROJECT];
  return typeof project === 'string' && project !== ''
    ? { organization, project }
    : { organization };
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
function fleetPeak(replicas: ReplicaShare[], second: number): number {
  let total = 0;
  for (const share of replicas)
    total += Math.max(share.keyPeak ?? share.peakNow(second), share.activeNow(second));
  return total;
}
