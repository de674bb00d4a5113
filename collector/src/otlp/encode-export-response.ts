import { CONTENT_TYPES, otlpEncoding } from './otlp-encoding.js';
import { ProtobufWriter } from './protobuf-writer.js';
import type { Rejected } from './types.js';

export interface EncodedResponse {
  body: Uint8Array | string;
  contentType: string;
}

/**
 * The reply to a successful export, in the request's encoding: an empty
 * ExportMetricsServiceResponse / ExportTraceServiceResponse, or one carrying partial_success when
 * something was rejected (https://opentelemetry.io/docs/specs/otlp/#partial-success). Both
 * messages are `partial_success = 1 { rejected_data_points | rejected_spans = 1 (int64),
 * error_message = 2 }`. Throws an OtlpDecodeError (415) for a content type OTLP does not use.
 */
export function encodeExportResponse(
  kind: 'metrics' | 'traces',
  rejected: Rejected | undefined,
  contentType: string,
): EncodedResponse {
  const encoding = otlpEncoding(contentType);
  const count = rejected?.count ?? 0;
  const message = rejected?.message ?? '';
  if (encoding === 'json') {
    if (count === 0 && message === '') return { body: '{}', contentType: CONTENT_TYPES.json };
    const partialSuccess: Record<string, string> = {};
    const countField = kind === 'metrics' ? 'rejectedDataPoints' : 'rejectedSpans';
    // proto3 JSON writes int64 as a decimal string.
    if (count > 0) partialSuccess[countField] = `${count}`;
    if (message !== '') partialSuccess.errorMessage = message;
    return { body: JSON.stringify({ partialSuccess }), contentType: CONTENT_TYPES.json };
  }
  if (count === 0 && message === '') {
    // An empty message is zero bytes; the spec says a sender must treat it as full success.
    return { body: new Uint8Array(0), contentType: CONTENT_TYPES.protobuf };
  }
  const partialSuccess = new ProtobufWriter();
  if (count > 0) partialSuccess.varint(1, count);
  if (message !== '') partialSuccess.string(2, message);
  const body = new ProtobufWriter().bytes(1, partialSuccess.finish()).finish();
  return { body, contentType: CONTENT_TYPES.protobuf };
}
