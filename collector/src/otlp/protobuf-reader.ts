import type { Location } from './location.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { decodeString } from './string-cache.js';
import { invalidUtf8At } from './utf8.js';

const TWO_TO_32 = 4294967296;

/**
 * A cursor over protobuf wire format (https://protobuf.dev/programming-guides/encoding/). The
 * decoders drive it field by field and build their objects directly, so there is no generic
 * message tree in between. Every read is bounds-checked: a bad body ends in an OtlpDecodeError
 * naming the byte, never in a RangeError or a loop.
 */
export class ProtobufReader {
  readonly bytes: Uint8Array;
  position = 0;
  readonly #view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** An unsigned varint: tags, lengths, enums, bools. Exact up to 2^53. */
  varint(): number {
    const position = this.position;
    if (position < this.bytes.length) {
      const first = this.bytes[position]!;
      // Tags and most lengths fit one byte.
      if (first < 0x80) {
        this.position = position + 1;
        return first;
      }
    }
    return this.#longVarint();
  }

  #longVarint(): number {
    const bytes = this.bytes;
    const start = this.position;
    let position = start;
    let value = 0;
    let multiplier = 1;
    for (let index = 0; index < 10; index++) {
      if (position >= bytes.length) {
        throw new OtlpDecodeError(`truncated protobuf: varint runs past the end at byte ${start}`);
      }
      const byte = bytes[position++]!;
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) {
        this.position = position;
        return value;
      }
      multiplier *= 128;
    }
    throw new OtlpDecodeError(`malformed protobuf: varint longer than 10 bytes at byte ${start}`);
  }

  /** A signed int64 varint: negative numbers arrive as ten bytes of two's complement. */
  int64(): number {
    const start = this.position;
    const unsigned = this.varint();
    if (unsigned < 2 ** 53) return unsigned;
    // Too big to be exact as a double: read the two 32-bit halves again and sign the high one.
    const bytes = this.bytes;
    let low = 0;
    let high = 0;
    for (let index = 0; start + index < this.position; index++) {
      const bits = bytes[start + index]! & 0x7f;
      const shift = index * 7;
      if (shift < 28) low |= bits << shift;
      else if (shift === 28) {
        low |= bits << 28;
        high |= bits >>> 4;
      } else high |= bits << (shift - 32);
    }
    return (high | 0) * TWO_TO_32 + (low >>> 0);
  }

  /** An unsigned fixed64 (counts). Exact up to 2^53. */
  fixed64(): number {
    const position = this.#advance(8);
    return (
      this.#view.getUint32(position + 4, true) * TWO_TO_32 + this.#view.getUint32(position, true)
    );
  }

  /** A signed sfixed64 (NumberDataPoint.as_int). */
  sfixed64(): number {
    const position = this.#advance(8);
    return (
      this.#view.getInt32(position + 4, true) * TWO_TO_32 + this.#view.getUint32(position, true)
    );
  }

  double(): number {
    return this.#view.getFloat64(this.#advance(8), true);
  }

  /**
   * A fixed64 time in ns since the epoch, as whole ms. Exact: ns values past 2^53 (every date
   * after April 1970) lose their low bits as doubles, which could tip a time into the previous
   * millisecond, so the division is split around the 32-bit halves (2^32 = 4294 × 10^6 + 967296).
   */
  milliseconds(): number {
    const position = this.#advance(8);
    const low = this.#view.getUint32(position, true);
    const high = this.#view.getUint32(position + 4, true);
    return high * 4294 + Math.floor((high * 967296 + low) / 1e6);
  }

  /** Reads a length prefix and returns where that field ends, which must be inside `limit`. */
  end(limit: number): number {
    const length = this.varint();
    const end = this.position + length;
    if (end > limit) {
      throw new OtlpDecodeError(
        `truncated protobuf: length ${length} runs past the end at byte ${this.position}`,
      );
    }
    return end;
  }

  /** The UTF-8 text from here to `end`; invalid UTF-8 fails naming `field`. */
  string(end: number, field: string, location: Location): string {
    const start = this.position;
    this.position = end;
    const text = decodeString(this.bytes, start, end);
    if (text === undefined) {
      const at = start + invalidUtf8At(this.bytes.subarray(start, end));
      location.fail(`${field} is not valid UTF-8 (byte ${at})`);
    }
    return text;
  }

  /** Checks that a message's fields ended exactly where its length said. */
  finish(end: number): void {
    if (this.position !== end) {
      throw new OtlpDecodeError(
        `malformed protobuf: a field runs past the end of its message at byte ${end}`,
      );
    }
  }

  /**
   * Skips a field the decoder does not read. A field it does read (a bit set in `known`) that
   * arrives with another wire type is an error: skipping it would silently lose data.
   */
  skip(tag: number, known: number, message: string): void {
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    const start = this.position - varintLength(tag);
    if (field === 0) {
      throw new OtlpDecodeError(`malformed protobuf: field number 0 at byte ${start}`);
    }
    if (field < 32 && (known >>> field) & 1) {
      throw new OtlpDecodeError(
        `malformed protobuf: wrong wire type ${wireType} for ${message} field ${field} at byte ${start}`,
      );
    }
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.#advance(8);
        return;
      case 2:
        this.position = this.end(this.bytes.length);
        return;
      case 5:
        this.#advance(4);
        return;
      default:
        throw new OtlpDecodeError(
          `malformed protobuf: unsupported wire type ${wireType} at byte ${start}`,
        );
    }
  }

  /** Moves past `size` bytes and returns where they start. */
  #advance(size: number): number {
    const position = this.position;
    if (position + size > this.bytes.length) {
      throw new OtlpDecodeError(
        `truncated protobuf: ${size}-byte field runs past the end at byte ${position}`,
      );
    }
    this.position = position + size;
    return position;
  }
}

/** A bit mask of field numbers, for `ProtobufReader.skip`. */
export function fields(...numbers: number[]): number {
  let mask = 0;
  for (const number of numbers) mask |= 1 << number;
  return mask;
}

function varintLength(value: number): number {
  let length = 1;
  for (let rest = value; rest >= 128; rest = Math.floor(rest / 128)) length++;
  return length;
}
