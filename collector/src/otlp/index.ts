export { decodeMetrics } from './decode-metrics.js';
export { decodeTraces } from './decode-traces.js';
export type { DecodedMetricsRequest, DecodedTracesRequest } from './decoded-request.js';
export { encodeErrorResponse } from './encode-error-response.js';
export { type EncodedResponse, encodeExportResponse } from './encode-export-response.js';
export * from './limits.js';
export { OtlpDecodeError } from './otlp-decode-error.js';
export { CONTENT_TYPES, type OtlpEncoding, otlpEncoding } from './otlp-encoding.js';
export type * from './types.js';
