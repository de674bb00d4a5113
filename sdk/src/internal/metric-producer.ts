import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import * as semconv from '../semconv.js';
import type { ActiveGauge, BucketHistogram } from './histogram.js';
import { INSTRUMENTS } from './instruments.js';
import type { SeriesStore } from './series.js';

export interface RegisteredHistogram {
  name: string;
  attributes: Attributes;
  histogram: BucketHistogram;
}

interface Snapshot {
  counts: number[];
  sum: number;
  count: number;
}

/**
 * Feeds one metric reader with what the OTel API has no observable form for: the histograms kept
 * in `BucketHistogram`s and the per-interval peaks of in-flight gauges. One producer per reader,
 * each with its own slot, because a delta reader must diff against its own previous export.
 */
export class HeadroomMetricProducer implements MetricProducer {
  readonly #previous = new WeakMap<BucketHistogram, Snapshot>();
  readonly #startTime: HrTime = hrTime();
  #lastCollection: HrTime = this.#startTime;

  constructor(
    private readonly store: SeriesStore,
    private readonly histograms: RegisteredHistogram[],
    private readonly resource: Resource,
    private readonly slot: number,
    private readonly temporality: AggregationTemporality,
    private readonly scope: { name: string; version: string },
  ) {}

  async collect(): Promise<CollectionResult> {
    const endTime = hrTime();
    const delta = this.temporality === AggregationTemporality.DELTA;
    const startTime = delta ? this.#lastCollection : this.#startTime;
    this.#lastCollection = endTime;
    const metrics: MetricData[] = [];
    const byName = new Map<string, MetricData & { dataPoints: any[] }>();
    for (const { name, attributes, histogram } of this.histograms) {
      const value = delta ? this.#delta(histogram) : this.#cumulative(histogram);
      if (value === undefined) continue;
      let metric = byName.get(name);
      if (metric === undefined) {
        metric = {
          descriptor: { name, ...INSTRUMENTS[name]!, valueType: ValueType.DOUBLE },
          aggregationTemporality: this.temporality,
          dataPointType: DataPointType.HISTOGRAM,
          dataPoints: [],
        };
        byName.set(name, metric);
        metrics.push(metric);
      }
      metric.dataPoints.push({ startTime, endTime, attributes, value });
    }
    const gauge = (
      name: string,
      series: Iterable<{ attributes: Attributes; active: ActiveGauge }>,
    ) => {
      const dataPoints = [];
      for (const { attributes, active } of series) {
        dataPoints.push({
          startTime: endTime,
          endTime,
          attributes,
          value: active.takePeak(this.slot),
        });
      }
      if (dataPoints.length > 0) {
        metrics.push({
          descriptor: { name, ...INSTRUMENTS[name]!, valueType: ValueType.INT },
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPointType: DataPointType.GAUGE,
          dataPoints,
        });
      }
    };
    gauge(semconv.METRIC_CALLS_ACTIVE_MAX, this.store.calls.values());
    gauge(semconv.METRIC_KEY_CALLS_ACTIVE_MAX, this.store.limits.values());
    gauge(semconv.METRIC_NODE_ACTIVE_MAX, this.store.nodes.values());
    return {
      resourceMetrics: { resource: this.resource, scopeMetrics: [{ scope: this.scope, metrics }] },
      errors: [],
    };
  }

  #cumulative(histogram: BucketHistogram) {
    if (histogram.count === 0) return undefined;
    this.#resetInterval(histogram);
    return {
      buckets: { boundaries: [...histogram.boundaries], counts: [...histogram.counts] },
      sum: histogram.sum,
      count: histogram.count,
      min: histogram.min,
      max: histogram.max,
    };
  }

  #delta(histogram: BucketHistogram) {
    const previous = this.#previous.get(histogram);
    const count = histogram.count - (previous?.count ?? 0);
    if (count === 0) return undefined;
    const counts = histogram.counts.map((value, index) => value - (previous?.counts[index] ?? 0));
    const value = {
      buckets: { boundaries: [...histogram.boundaries], counts },
      sum: histogram.sum - (previous?.sum ?? 0),
      count,
      min: histogram.intervalMin[this.slot]!,
      max: histogram.intervalMax[this.slot]!,
    };
    this.#previous.set(histogram, {
      counts: [...histogram.counts],
      sum: histogram.sum,
      count: histogram.count,
    });
    this.#resetInterval(histogram);
    return value;
  }

  #resetInterval(histogram: BucketHistogram): void {
    histogram.intervalMin[this.slot] = Number.POSITIVE_INFINITY;
    histogram.intervalMax[this.slot] = Number.NEGATIVE_INFINITY;
  }
}
