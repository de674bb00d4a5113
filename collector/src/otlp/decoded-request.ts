import type { MetricsRequest, Rejected, TracesRequest } from './types.js';

/**
 * A decoded metrics export. `rejected` is set when points were skipped rather than refused:
 * exponential histograms and summaries, which the collector does not aggregate. The caller
 * answers with it as an OTLP partial success (see `encodeExportResponse`).
 */
export type DecodedMetricsRequest = MetricsRequest & { rejected?: Rejected };

/** A decoded traces export. `rejected` mirrors metrics; no span is skipped today. */
export type DecodedTracesRequest = TracesRequest & { rejected?: Rejected };
