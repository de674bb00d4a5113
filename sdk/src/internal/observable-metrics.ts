import type { Attributes, BatchObservableResult, Meter, Observable } from '@opentelemetry/api';
import * as semconv from '../semconv.js';
import * as experimental from './conventions.js';
import { INSTRUMENTS } from './instruments.js';
import { readAccountHeaders, readRateLimitHeaders } from './rate-limit-headers.js';
import type { LimitSeries, SeriesStore } from './series.js';

/**
 * Counters, up-down counters and gauges as observable instruments that read the plain numbers of
 * the series store at export: the request path only does arithmetic, and the SDK hashes each
 * attribute set once per export instead of once per record. The peak gauges read `slot`'s peaks:
 * each meter binding has its own, so exact with one reader per meter provider (Headroom gives each
 * reader of its own its own provider; an app with several readers on one provider shares peaks).
 */
export function registerObservableMetrics(
  meter: Meter,
  store: SeriesStore,
  slot: number,
): () => void {
  const create = <T extends Observable>(
    factory: (name: string, options: object) => T,
    name: string,
  ) => factory.call(meter, name, INSTRUMENTS[name]!);
  const active = create(meter.createObservableUpDownCounter, semconv.METRIC_CALLS_ACTIVE);
  const calls = create(meter.createObservableCounter, semconv.METRIC_CALLS);
  const requests = create(meter.createObservableCounter, semconv.METRIC_REQUESTS);
  const tokens = create(meter.createObservableCounter, semconv.METRIC_TOKENS);
  const retries = create(meter.createObservableCounter, semconv.METRIC_RETRIES);
  const limit = create(meter.createObservableGauge, semconv.METRIC_RATELIMIT_LIMIT);
  const remaining = create(meter.createObservableGauge, semconv.METRIC_RATELIMIT_REMAINING);
  const nodeExecutions = create(meter.createObservableCounter, semconv.METRIC_NODE_EXECUTIONS);
  const nodeActive = create(meter.createObservableUpDownCounter, semconv.METRIC_NODE_ACTIVE);
  const guardDepth = create(meter.createObservableGauge, semconv.METRIC_GUARD_QUEUE_DEPTH);
  const guardAdmitted = create(meter.createObservableCounter, semconv.METRIC_GUARD_ADMITTED);
  const guardDelayed = create(meter.createObservableCounter, semconv.METRIC_GUARD_DELAYED);
  const guardRejected = create(meter.createObservableCounter, semconv.METRIC_GUARD_REJECTED);
  const observables: Observable[] = [
    guardDepth,
    guardAdmitted,
    guardDelayed,
    guardRejected,
    active,
    calls,
    requests,
    tokens,
    retries,
    limit,
    remaining,
    nodeExecutions,
    nodeActive,
  ];
  const activeMax = create(meter.createObservableGauge, semconv.METRIC_CALLS_ACTIVE_MAX);
  const nodeActiveMax = create(meter.createObservableGauge, semconv.METRIC_NODE_ACTIVE_MAX);
  const keyActiveMax = create(meter.createObservableGauge, semconv.METRIC_KEY_CALLS_ACTIVE_MAX);
  observables.push(activeMax, nodeActiveMax, keyActiveMax);
  // The experimental conventions count tokens with two counters broken down by modality; the
  // providers' usage says nothing of modality, so it is `unknown`, as the conventions ask.
  const usage =
    store.conventions === 'latest_experimental'
      ? {
          input: create(
            meter.createObservableCounter,
            experimental.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
          ),
          output: create(
            meter.createObservableCounter,
            experimental.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
          ),
        }
      : undefined;
  if (usage) observables.push(usage.input, usage.output);

  const callback = (result: BatchObservableResult) => {
    for (const series of store.calls.values()) {
      result.observe(active, series.active.value, series.attributes);
      result.observe(activeMax, series.active.takePeak(slot), series.attributes);
      for (let index = 0; index < 3; index++) {
        const attributes = series.outcomeAttributes[index]!;
        if (series.calls[index]! > 0) result.observe(calls, series.calls[index]!, attributes);
        if (series.requests[index]! > 0)
          result.observe(requests, series.requests[index]!, attributes);
      }
      if (series.retries[0]! > 0 || series.retries[1]! > 0 || series.retries[2]! > 0) {
        series.retryAttributes ??= semconv.RETRY_LAYERS.map((layer) => ({
          ...series.attributes,
          [semconv.ATTR_HEADROOM_RETRY_LAYER]: layer,
        }));
        for (let index = 0; index < 3; index++) {
          if (series.retries[index]! > 0)
            result.observe(retries, series.retries[index]!, series.retryAttributes[index]!);
        }
      }
      if (series.inputTokens > 0)
        result.observe(tokens, series.inputTokens, series.inputTokenAttributes);
      if (series.outputTokens > 0)
        result.observe(tokens, series.outputTokens, series.outputTokenAttributes);
      if (usage && (series.inputTokens > 0 || series.outputTokens > 0)) {
        series.modalityAttributes ??= {
          ...series.attributes,
          [experimental.ATTR_GEN_AI_TOKEN_MODALITY]: 'unknown',
        };
        if (series.inputTokens > 0)
          result.observe(usage.input, series.inputTokens, series.modalityAttributes);
        if (series.outputTokens > 0)
          result.observe(usage.output, series.outputTokens, series.modalityAttributes);
      }
    }
    for (const series of store.limits.values()) {
      result.observe(keyActiveMax, series.active.takePeak(slot), series.attributes);
      const guard = series.guard;
      if (guard !== undefined) {
        const { counts } = guard;
        result.observe(guardDepth, guard.queue.size, series.attributes);
        result.observe(guardAdmitted, counts.admitted + counts.delayed, series.attributes);
        result.observe(guardDelayed, counts.delayed, series.attributes);
        series.guardRejectedAttributes ??= {
          queueFull: { ...series.attributes, [semconv.ATTR_HEADROOM_GUARD_REASON]: 'queue_full' },
          timeout: { ...series.attributes, [semconv.ATTR_HEADROOM_GUARD_REASON]: 'timeout' },
        };
        const reasons = series.guardRejectedAttributes;
        if (counts.queueFull > 0)
          result.observe(guardRejected, counts.queueFull, reasons.queueFull);
        if (counts.timeout > 0) result.observe(guardRejected, counts.timeout, reasons.timeout);
      }
      for (const reading of currentReadings(series)) {
        const attributes = dimensionAttributes(series, reading.dimension);
        if (reading.limit !== undefined) result.observe(limit, reading.limit, attributes);
        if (reading.remaining !== undefined)
          result.observe(remaining, reading.remaining, attributes);
      }
    }
    for (const series of store.nodes.values()) {
      result.observe(nodeExecutions, series.executions, series.attributes);
      result.observe(nodeActive, series.active.value, series.attributes);
      result.observe(nodeActiveMax, series.active.takePeak(slot), series.attributes);
    }
  };
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}

/**
 * Parses the last headers once; a response without rate-limit headers keeps the previous reading.
 * The account (organization, project) comes from the same response as the readings it labels.
 */
function currentReadings(series: LimitSeries) {
  if (series.lastHeaders !== undefined) {
    const readings = readRateLimitHeaders(series.lastHeaders);
    if (readings.length > 0) {
      series.readings = readings;
      const account = readAccountHeaders(series.lastHeaders);
      const { organization, project } = series.account;
      if (account.organization !== organization || account.project !== project) {
        series.account = account;
        series.dimensionAttributes.clear();
      }
    }
    series.lastHeaders = undefined;
  }
  return series.readings;
}

function dimensionAttributes(series: LimitSeries, dimension: string): Attributes {
  let attributes = series.dimensionAttributes.get(dimension);
  if (attributes === undefined) {
    const { organization, project } = series.account;
    attributes = { ...series.attributes, [semconv.ATTR_HEADROOM_RATELIMIT_DIMENSION]: dimension };
    if (organization !== undefined)
      attributes[semconv.ATTR_HEADROOM_RATELIMIT_ORGANIZATION] = organization;
    if (project !== undefined) attributes[semconv.ATTR_HEADROOM_RATELIMIT_PROJECT] = project;
    series.dimensionAttributes.set(dimension, attributes);
  }
  return attributes;
}
