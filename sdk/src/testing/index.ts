import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Headroom } from '../headroom.js';
import { init } from '../init.js';
import type { HeadroomOptions } from '../types.js';

export interface MetricPoint {
  name: string;
  attributes: Attributes;
  /** A number for sums and gauges; the histogram value for histograms. */
  value: any;
  dataPointType: DataPointType;
}

/**
 * Headroom wired to in-memory exporters (delta temporality), so an app's tests can assert on
 * the telemetry its own code produces. Nothing is exported on a timer: `collect()` flushes.
 */
export class TestTelemetry {
  readonly spanExporter = new InMemorySpanExporter();
  readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  readonly headroom: Headroom;

  constructor(options: HeadroomOptions = {}) {
    this.headroom = init({
      serviceName: 'test',
      collectorUrl: false,
      registerGlobals: true,
      exportIntervalMillis: 3_600_000,
      ...options,
      spanExporter: this.spanExporter,
      metricExporter: this.metricExporter,
    });
  }

  /** Flushes spans and metrics into the in-memory exporters. */
  async collect(): Promise<void> {
    await this.headroom.forceFlush();
  }

  spans(): ReadableSpan[] {
    return this.spanExporter.getFinishedSpans();
  }

  /** Every data point exported since the last `reset()`, flattened over exports and scopes. */
  points(name?: string): MetricPoint[] {
    const points: MetricPoint[] = [];
    for (const resourceMetrics of this.metricExporter.getMetrics()) {
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics as MetricData[]) {
          if (name !== undefined && metric.descriptor.name !== name) continue;
          for (const point of metric.dataPoints) {
            points.push({
              name: metric.descriptor.name,
              attributes: point.attributes,
              value: point.value,
              dataPointType: metric.dataPointType,
            });
          }
        }
      }
    }
    return points;
  }

  /** The sum of a (delta) counter's points whose attributes include `match`. */
  sum(name: string, match: Attributes = {}): number {
    return this.points(name)
      .filter((point) => matches(point.attributes, match))
      .reduce(
        (total, point) => total + (typeof point.value === 'number' ? point.value : point.value.sum),
        0,
      );
  }

  /** The largest gauge value (or histogram max) among points whose attributes include `match`. */
  max(name: string, match: Attributes = {}): number | undefined {
    let max: number | undefined;
    for (const point of this.points(name)) {
      if (!matches(point.attributes, match)) continue;
      const value = typeof point.value === 'number' ? point.value : point.value.max;
      if (max === undefined || value > max) max = value;
    }
    return max;
  }

  /** The last gauge value among points whose attributes include `match`. */
  last(name: string, match: Attributes = {}): number | undefined {
    const points = this.points(name).filter((point) => matches(point.attributes, match));
    return points.at(-1)?.value;
  }

  /** Forgets what was exported so far. */
  reset(): void {
    this.spanExporter.reset();
    this.metricExporter.reset();
  }

  async shutdown(): Promise<void> {
    await this.headroom.shutdown();
  }
}

export function createTestTelemetry(options: HeadroomOptions = {}): TestTelemetry {
  return new TestTelemetry(options);
}

function matches(attributes: Attributes, match: Attributes): boolean {
  for (const [key, value] of Object.entries(match)) if (attributes[key] !== value) return false;
  return true;
}

export { DataPointType };
