import type { EncodedResponse } from './encode-export-response.js';
import { CONTENT_TYPES, type OtlpEncoding, otlpEncoding } from './otlp-encoding.js';
import { ProtobufWriter } from './protobuf-writer.js';

/** google.rpc.Code INVALID_ARGUMENT: what a 4xx from OTLP/HTTP maps to. */
const INVALID_ARGUMENT = 3;

/**
 * The body of a 4xx reply: a google.rpc.Status { code = 1, message = 2 } in the request's
 * encoding, as OTLP/HTTP asks (https://opentelemetry.io/docs/specs/otlp/#failures-1). A request
 * whose content type was itself the problem gets JSON.
 */
export function encodeErrorResponse(message: string, contentType: string): EncodedResponse {
  let encoding: OtlpEncoding = 'json';
  try {
    encoding = otlpEncoding(contentType);
  } catch {
    // Unsupported content type: answer in JSON, which any client can read.
  }
  if (encoding === 'json') {
    return {
      body: JSON.stringify({ code: INVALID_ARGUMENT, message }),
      contentType: CONTENT_TYPES.json,
    };
  }
  const body = new ProtobufWriter().varint(1, INVALID_ARGUMENT).string(2, message).finish();
  return { body, contentType: CONTENT_TYPES.protobuf };
}
