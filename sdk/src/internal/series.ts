import type { Attributes } from '@opentelemetry/api';
import * as semconv from '../semconv.js';
import { OUTCOMES, type Outcome } from '../semconv.js';
import type { GenAiConventions } from './conventions.js';
import * as experimental from './conventions.js';
import { reportFault } from './fault.js';
import { ActiveGauge, type Recorder } from './histogram.js';
import { errorName } from './mark-failed.js';
import type { RateLimitAccount, RateLimitReading } from './rate-limit-headers.js';
import { RepeatTracker } from './repeat-tracker.js';

/** How a histogram of the store comes to exist: bound to its attributes once, recorded often. */
export type HistogramFactory = (name: string, attributes: Attributes) => Recorder;

export interface CallSeriesKey {
  provider: string;
  operation: string;
  model: string;
  key: string;
  tenant?: string | undefined;
  graph?: string | undefined;
  node?: string | undefined;
  serverAddress?: string | undefined;
}

export const OUTCOME_INDEX: Record<Outcome, number> = { ok: 0, rate_limited: 1, error: 2 };
/** `CallSeries.retries` by layer, in `RETRY_LAYERS` order. */
export const RETRY_INDEX: Record<semconv.RetryLayer, number> = { client: 0, framework: 1, app: 2 };

/** What the guard counts on one lane, read at export (see `Lane`). */
export interface GuardStats {
  readonly counts: { admitted: number; delayed: number; queueFull: number; timeout: number };
  readonly queue: { readonly size: number };
}

export class LimitSeries {
  lastHeaders: { get(name: string): string | null } | undefined;
  /** Calls in flight on the key, over all its series: the replica's true peak per key. */
  readonly active: ActiveGauge;
  readings: RateLimitReading[] = [];
  /** The organization and project of the response the readings came from. */
  account: RateLimitAccount = {};
  /** Gauge attributes per dimension, for the current `account`; rebuilt when it changes. */
  readonly dimensionAttributes = new Map<string, Attributes>();
  /** The guard's lane of this key, when a guarded client calls it: read at export. */
  guard: GuardStats | undefined;
  /** Attributes of each reason the guard refuses for, built once. */
  guardRejectedAttributes: { queueFull: Attributes; timeout: Attributes } | undefined;
  constructor(readonly attributes: Attributes) {
    this.active = new ActiveGauge();
  }
}

/**
 * Everything recorded for one attribute set of model calls. Resolved once per distinct set and
 * then updated with plain arithmetic: the hot path never hashes attributes.
 */
export class CallSeries {
  readonly active: ActiveGauge;
  /** Logical calls ended, by `OUTCOME_INDEX`. */
  readonly calls = [0, 0, 0];
  /** HTTP attempts ended, by `OUTCOME_INDEX`. */
  readonly requests = [0, 0, 0];
  /** Retries seen, by `RETRY_INDEX`. */
  readonly retries = [0, 0, 0];
  /** The `headroom.retries` attributes per layer, built at the first export with a retry. */
  retryAttributes: Attributes[] | undefined;
  /** Tells the app's own retries (identical calls again). */
  readonly repeats = new RepeatTracker();
  inputTokens = 0;
  outputTokens = 0;
  readonly outcomeAttributes: Attributes[];
  readonly inputTokenAttributes: Attributes;
  readonly outputTokenAttributes: Attributes;
  readonly inputTokenUsage: Recorder;
  readonly outputTokenUsage: Recorder;
  /** The experimental usage counters' attributes (`gen_ai.token.modality`), built at first export. */
  modalityAttributes: Attributes | undefined;
  readonly #durations = new Map<string, Recorder>();

  constructor(
    readonly attributes: Attributes,
    readonly limit: LimitSeries,
    readonly histogram: HistogramFactory,
    readonly conventions: GenAiConventions,
    /** Past the series limit: the calls of many attribute sets, counted as one. */
    readonly overflow = false,
  ) {
    this.active = new ActiveGauge();
    this.outcomeAttributes = OUTCOMES.map((outcome) => ({
      ...attributes,
      [semconv.ATTR_HEADROOM_OUTCOME]: outcome,
    }));
    this.inputTokenAttributes = { ...attributes, [semconv.ATTR_GEN_AI_TOKEN_TYPE]: 'input' };
    this.outputTokenAttributes = { ...attributes, [semconv.ATTR_GEN_AI_TOKEN_TYPE]: 'output' };
    if (conventions === 'latest_experimental') {
      // Per-operation distributions, deliberately without a modality or token type.
      this.inputTokenUsage = histogram(
        experimental.METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS,
        attributes,
      );
      this.outputTokenUsage = histogram(
        experimental.METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS,
        attributes,
      );
    } else {
      this.inputTokenUsage = histogram(
        semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
        this.inputTokenAttributes,
      );
      this.outputTokenUsage = histogram(
        semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
        this.outputTokenAttributes,
      );
    }
  }

  /** The duration histogram for one `error.type` ('' when the call succeeded). */
  duration(errorType: string): Recorder {
    let recorder = this.#durations.get(errorType);
    if (recorder === undefined) {
      const attributes =
        errorType === ''
          ? this.attributes
          : { ...this.attributes, [semconv.ATTR_ERROR_TYPE]: errorType };
      recorder = this.histogram(
        this.conventions === 'latest_experimental'
          ? experimental.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION
          : semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
        attributes,
      );
      this.#durations.set(errorType, recorder);
    }
    return recorder;
  }
}

/** One graph node: executions, in flight, and executions per run. */
export class NodeSeries {
  executions = 0;
  readonly active: ActiveGauge;
  readonly executionsPerRun: Recorder;
  constructor(
    readonly attributes: Attributes,
    histogram: HistogramFactory,
  ) {
    this.active = new ActiveGauge();
    this.executionsPerRun = histogram(semconv.METRIC_NODE_EXECUTIONS_PER_RUN, attributes);
  }
}

/**
 * Most distinct attribute sets kept per kind of series. An app that puts something unbounded in
 * a model name or a graph name must not grow memory without end: past the limit, new sets are
 * folded into one overflow series, as the OpenTelemetry SDK does with its cardinality limit.
 */
export const SERIES_LIMIT = 2000;
const OVERFLOW = '\u0000overflow';
const OVERFLOW_ATTRIBUTES: Attributes = { 'otel.metric.overflow': true };

/** The series maps of one Headroom instance. */
export class SeriesStore {
  readonly calls = new Map<string, CallSeries>();
  readonly limits = new Map<string, LimitSeries>();
  readonly nodes = new Map<string, NodeSeries>();
  readonly runSteps = new Map<string, Recorder>();

  constructor(
    readonly histogram: HistogramFactory,
    readonly conventions: GenAiConventions = 'released',
  ) {}

  callSeries(key: CallSeriesKey): CallSeries {
    const id = `${key.provider}\u0000${key.operation}\u0000${key.model}\u0000${key.key}\u0000${key.tenant ?? ''}\u0000${key.graph ?? ''}\u0000${key.node ?? ''}\u0000${key.serverAddress ?? ''}`;
    let series = this.calls.get(id);
    if (series === undefined) {
      if (this.calls.size >= SERIES_LIMIT) return this.#overflowCalls();
      series = new CallSeries(
        callAttributes(key),
        this.limitSeries(key),
        this.histogram,
        this.conventions,
      );
      this.calls.set(id, series);
    }
    return series;
  }

  limitSeries(key: CallSeriesKey): LimitSeries {
    const id = `${key.provider}\u0000${key.model}\u0000${key.key}`;
    let series = this.limits.get(id);
    if (series === undefined) {
      if (this.limits.size >= SERIES_LIMIT) return this.#overflowLimits();
      series = new LimitSeries({
        [semconv.ATTR_GEN_AI_PROVIDER_NAME]: key.provider,
        [semconv.ATTR_GEN_AI_REQUEST_MODEL]: key.model,
        [semconv.ATTR_HEADROOM_KEY]: key.key,
      });
      this.limits.set(id, series);
    }
    return series;
  }

  nodeSeries(graph: string, node: string): NodeSeries {
    const id = `${graph}\u0000${node}`;
    let series = this.nodes.get(id);
    if (series === undefined) {
      if (this.nodes.size >= SERIES_LIMIT) {
        reportFault(
          'series limit',
          new Error(
            `more than ${SERIES_LIMIT} graph nodes; the rest are counted as one overflow series`,
          ),
        );
        series = this.nodes.get(OVERFLOW) ?? new NodeSeries(OVERFLOW_ATTRIBUTES, this.histogram);
        this.nodes.set(OVERFLOW, series);
        return series;
      }
      series = new NodeSeries(
        { [semconv.ATTR_HEADROOM_GRAPH_NAME]: graph, [semconv.ATTR_HEADROOM_GRAPH_NODE]: node },
        this.histogram,
      );
      this.nodes.set(id, series);
    }
    return series;
  }

  #overflowCalls(): CallSeries {
    reportFault(
      'series limit',
      new Error(
        `more than ${SERIES_LIMIT} model-call series; the rest are counted as one overflow series`,
      ),
    );
    let series = this.calls.get(OVERFLOW);
    if (series === undefined) {
      series = new CallSeries(
        OVERFLOW_ATTRIBUTES,
        this.#overflowLimits(),
        this.histogram,
        this.conventions,
        true,
      );
      this.calls.set(OVERFLOW, series);
    }
    return series;
  }

  #overflowLimits(): LimitSeries {
    let series = this.limits.get(OVERFLOW);
    if (series === undefined) {
      series = new LimitSeries(OVERFLOW_ATTRIBUTES);
      this.limits.set(OVERFLOW, series);
    }
    return series;
  }

  readonly #workflowDurations = new Map<string, Recorder>();

  /**
   * `gen_ai.workflow.duration` of a graph's runs, by `error.type`: only in the experimental
   * conventions, which have workflows.
   */
  workflowDurationFor(graph: string, error: unknown): Recorder | undefined {
    if (this.conventions !== 'latest_experimental') return undefined;
    const errorType = error === undefined ? '' : errorName(error);
    let id = `${graph}\u0000${errorType}`;
    let recorder = this.#workflowDurations.get(id);
    if (recorder === undefined && this.#workflowDurations.size >= SERIES_LIMIT) {
      id = OVERFLOW;
      recorder = this.#workflowDurations.get(id);
    }
    if (recorder === undefined) {
      const attributes: Attributes =
        id === OVERFLOW
          ? OVERFLOW_ATTRIBUTES
          : {
              [semconv.ATTR_GEN_AI_OPERATION_NAME]: 'invoke_workflow',
              [experimental.ATTR_GEN_AI_WORKFLOW_NAME]: graph,
            };
      if (errorType !== '' && id !== OVERFLOW) attributes[semconv.ATTR_ERROR_TYPE] = errorType;
      recorder = this.histogram(experimental.METRIC_GEN_AI_WORKFLOW_DURATION, attributes);
      this.#workflowDurations.set(id, recorder);
    }
    return recorder;
  }

  runStepsFor(graph: string, recursionLimit: number | undefined): Recorder {
    let id = `${graph}\u0000${recursionLimit ?? ''}`;
    let recorder = this.runSteps.get(id);
    if (recorder === undefined && this.runSteps.size >= SERIES_LIMIT) {
      id = OVERFLOW;
      recorder = this.runSteps.get(id);
    }
    if (recorder === undefined) {
      const attributes: Attributes =
        id === OVERFLOW ? OVERFLOW_ATTRIBUTES : { [semconv.ATTR_HEADROOM_GRAPH_NAME]: graph };
      if (recursionLimit !== undefined && id !== OVERFLOW)
        attributes[semconv.ATTR_HEADROOM_GRAPH_RECURSION_LIMIT] = recursionLimit;
      recorder = this.histogram(semconv.METRIC_RUN_STEPS, attributes);
      this.runSteps.set(id, recorder);
    }
    return recorder;
  }
}

/** The attributes of a call of `key`: its series' own, or its span's when the series overflowed. */
export function callAttributes(key: CallSeriesKey): Attributes {
  const attributes: Attributes = {
    [semconv.ATTR_GEN_AI_OPERATION_NAME]: key.operation,
    [semconv.ATTR_GEN_AI_PROVIDER_NAME]: key.provider,
    [semconv.ATTR_GEN_AI_REQUEST_MODEL]: key.model,
    [semconv.ATTR_HEADROOM_KEY]: key.key,
  };
  if (key.serverAddress) attributes[semconv.ATTR_SERVER_ADDRESS] = key.serverAddress;
  if (key.tenant) attributes[semconv.ATTR_HEADROOM_TENANT] = key.tenant;
  if (key.graph) attributes[semconv.ATTR_HEADROOM_GRAPH_NAME] = key.graph;
  if (key.node) attributes[semconv.ATTR_HEADROOM_GRAPH_NODE] = key.node;
  return attributes;
}
