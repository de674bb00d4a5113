import type { JsonObject } from './json-values.js';
import { MAX_JSON_DEPTH } from './limits.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { invalidUtf8At, strictUtf8 } from './utf8.js';

/** An OTLP/JSON body as a parsed object, its nesting bounded before JSON.parse sees it. */
export function parseJsonBody(body: Uint8Array): JsonObject {
  checkJsonDepth(body);
  const text = strictUtf8(body);
  if (text === undefined) {
    throw new OtlpDecodeError(`JSON body is not valid UTF-8 (byte ${invalidUtf8At(body)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8 quotes a snippet of the body: keep the message on one short line.
    const reason = (error instanceof Error ? error.message : String(error))
      .replace(/\s+/g, ' ')
      .slice(0, 200);
    throw new OtlpDecodeError(`JSON body is not valid JSON: ${reason}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OtlpDecodeError('JSON body is not an object');
  }
  return value as JsonObject;
}

/** What each byte means to the depth scan: 0 nothing, else one of the constants below. */
const OPEN = 1;
const CLOSE = 2;
const QUOTE = 3;
const BACKSLASH = 4;
const OUTSIDE = new Uint8Array(256);
OUTSIDE[0x5b] = OPEN; // [
OUTSIDE[0x7b] = OPEN; // {
OUTSIDE[0x5d] = CLOSE; // ]
OUTSIDE[0x7d] = CLOSE; // }
OUTSIDE[0x22] = QUOTE;
const INSIDE = new Uint8Array(256);
INSIDE[0x22] = QUOTE;
INSIDE[0x5c] = BACKSLASH;

/**
 * Counts brackets outside strings, on the bytes (UTF-8 never puts an ASCII byte inside a
 * multi-byte character). A body nested deeper than any real export is refused as soon as the
 * scan reaches the excess, before JSON.parse spends time on it (V8 parses deep nesting without
 * overflowing, but several times slower per byte than a flat body on Node 20). A byte table keeps
 * the common byte to one load and one comparison.
 */
export function checkJsonDepth(bytes: Uint8Array, limit = MAX_JSON_DEPTH): void {
  const length = bytes.length;
  let depth = 0;
  for (let index = 0; index < length; index++) {
    const kind = OUTSIDE[bytes[index]!]!;
    if (kind === 0) continue;
    if (kind === QUOTE) {
      for (index++; index < length; index++) {
        const inner = INSIDE[bytes[index]!]!;
        if (inner === 0) continue;
        if (inner === BACKSLASH) index++;
        else break;
      }
    } else if (kind === OPEN) {
      if (++depth > limit) {
        throw new OtlpDecodeError(`JSON nesting deeper than ${limit} at byte ${index}`);
      }
    } else {
      depth--;
    }
  }
}
