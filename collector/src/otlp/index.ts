/**
 * OTLP/HTTP decoding for the collector: protobuf (read by hand, straight into the model in
 * types.ts) and OTLP/JSON, with every bound in limits.ts enforced as a one-line OtlpDecodeError,
 * and the replies OTLP/HTTP expects.
 */
export { decodeMetrics } from './decode-metrics.js';
export { decodeTraces } from './decode-traces.js';
export type { DecodedMetricsRequest, DecodedTracesRequest } from './decoded-request.js';
export { encodeErrorResponse } from './encode-error-response.js';
export { type EncodedResponse, encodeExportResponse } from './encode-export-response.js';
export * from './limits.js';
export { OtlpDecodeError } from './otlp-decode-error.js';
export { CONTENT_TYPES, type OtlpEncoding, otlpEncoding } from './otlp-encoding.js';
export type * from './types.js';
