import { strictUtf8 } from './utf8.js';

const SLOTS = 4096;
const MAX_CACHED_LENGTH = 64;

/**
 * Decoded strings by their UTF-8 bytes. OTLP repeats the same keys, names and low-cardinality
 * values (provider, model, outcome) in every point; returning the string decoded last time saves
 * the decode, the allocation, and V8's re-hashing of a fresh string used as a property key, which
 * together were the largest cost of protobuf decoding. A fixed table of slots, overwritten on
 * collision, so memory stays bounded whatever senders send. Only valid UTF-8 is cached, so a hit
 * needs no second check.
 */
const cachedBytes: Array<Uint8Array | undefined> = new Array(SLOTS).fill(undefined);
const cachedStrings: string[] = new Array(SLOTS).fill('');

/** The text of `bytes[start..end)`, or undefined when it is not valid UTF-8. */
export function decodeString(bytes: Uint8Array, start: number, end: number): string | undefined {
  const length = end - start;
  if (length > MAX_CACHED_LENGTH) return strictUtf8(bytes.subarray(start, end));
  // FNV-1a over the bytes.
  let hash = 0x811c9dc5;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ bytes[index]!, 0x01000193);
  const slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
  const candidate = cachedBytes[slot];
  if (candidate !== undefined && candidate.length === length) {
    let same = true;
    for (let index = 0; index < length; index++) {
      if (candidate[index] !== bytes[start + index]) {
        same = false;
        break;
      }
    }
    if (same) return cachedStrings[slot]!;
  }
  const text = strictUtf8(bytes.subarray(start, end));
  if (text === undefined) return undefined;
  cachedBytes[slot] = bytes.slice(start, end);
  cachedStrings[slot] = text;
  return text;
}
