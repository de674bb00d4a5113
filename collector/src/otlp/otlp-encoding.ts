import { quote } from './location.js';
import { OtlpDecodeError } from './otlp-decode-error.js';

export type OtlpEncoding = 'protobuf' | 'json';

/** The two content types of OTLP/HTTP (https://opentelemetry.io/docs/specs/otlp/#otlphttp). */
export const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/**
 * Which OTLP encoding a Content-Type header names. Parameters such as `charset` are ignored;
 * `application/protobuf` is accepted because some senders spell it so. Anything else is a 415.
 */
export function otlpEncoding(contentType: string): OtlpEncoding {
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') {
    return 'protobuf';
  }
  if (mediaType === 'application/json') return 'json';
  throw new OtlpDecodeError(
    `unsupported content type ${quote(contentType)}: send application/x-protobuf or application/json`,
    415,
  );
}
