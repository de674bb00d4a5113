import type { DecodedTracesRequest } from './decoded-request.js';
import { decodeTracesJson } from './json-traces.js';
import { otlpEncoding } from './otlp-encoding.js';
import { decodeTracesProtobuf } from './protobuf-traces.js';

/**
 * An OTLP/HTTP traces body (already gunzipped) as the collector's model. Throws an
 * OtlpDecodeError as `decodeMetrics` does. Span events and links are not kept.
 */
export function decodeTraces(body: Uint8Array, contentType: string): DecodedTracesRequest {
  return otlpEncoding(contentType) === 'protobuf'
    ? decodeTracesProtobuf(body)
    : decodeTracesJson(body);
}
