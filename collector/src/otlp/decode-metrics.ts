import type { DecodedMetricsRequest } from './decoded-request.js';
import { decodeMetricsJson } from './json-metrics.js';
import { otlpEncoding } from './otlp-encoding.js';
import { decodeMetricsProtobuf } from './protobuf-metrics.js';

/**
 * An OTLP/HTTP metrics body (already gunzipped) as the collector's model. Throws an
 * OtlpDecodeError with a one-line reason for a malformed body, a value outside the limits in
 * limits.ts, or a content type other than protobuf or JSON (status 415). Exponential histograms
 * and summaries are skipped and counted in `rejected`.
 */
export function decodeMetrics(body: Uint8Array, contentType: string): DecodedMetricsRequest {
  return otlpEncoding(contentType) === 'protobuf'
    ? decodeMetricsProtobuf(body)
    : decodeMetricsJson(body);
}
