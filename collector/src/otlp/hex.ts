const HEX_PAIRS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const HEX_DIGITS = /^[0-9a-fA-F]*$/;

/** Lowercase hex of `bytes[start..end)`: trace and span ids as OTLP/JSON and the W3C spell them. */
export function hexOf(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let index = start; index < end; index++) text += HEX_PAIRS[bytes[index]!];
  return text;
}

/**
 * An id from an OTLP/JSON body as lowercase hex, or undefined when it is not `length` bytes.
 * The spec says hex (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding), but a
 * plain proto3 JSON encoder writes bytes as base64, so that spelling is accepted too; the two
 * never have the same length.
 */
export function idFromJson(text: string, length: number): string | undefined {
  if (text.length === length * 2 && HEX_DIGITS.test(text)) return text.toLowerCase();
  if (text.length === Math.ceil(length / 3) * 4) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === length) return hexOf(bytes, 0, length);
  }
  return undefined;
}
