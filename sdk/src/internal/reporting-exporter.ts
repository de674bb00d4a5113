import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { reportFault } from './fault.js';

/**
 * An exporter that says, once, when its exports fail. OpenTelemetry reports failed exports only
 * through `diag`, which prints nothing unless the app set a logger, so a collector that is down
 * would otherwise go unnoticed. The export itself is untouched.
 */
function reporting<T>(
  what: string,
  inner: { export(items: T, done: (result: ExportResult) => void): void },
) {
  return (items: T, done: (result: ExportResult) => void) =>
    inner.export(items, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        reportFault(what, result.error ?? new Error('export failed'));
      }
      done(result);
    });
}

export function reportingMetricExporter(
  inner: PushMetricExporter,
  where: string,
): PushMetricExporter {
  return {
    export: reporting<ResourceMetrics>(`export metrics to ${where}`, inner),
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    ...(inner.selectAggregationTemporality
      ? { selectAggregationTemporality: inner.selectAggregationTemporality.bind(inner) }
      : {}),
    ...(inner.selectAggregation ? { selectAggregation: inner.selectAggregation.bind(inner) } : {}),
  };
}

export function reportingSpanExporter(inner: SpanExporter, where: string): SpanExporter {
  return {
    export: reporting<ReadableSpan[]>(`export spans to ${where}`, inner),
    shutdown: () => inner.shutdown(),
    ...(inner.forceFlush ? { forceFlush: () => inner.forceFlush!() } : {}),
  };
}
