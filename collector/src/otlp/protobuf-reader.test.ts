import { describe, expect, it } from 'vitest';
import { Location } from './location.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { ProtobufReader } from './protobuf-reader.js';
import { fixed64Field, varint } from './test-helpers.js';

describe('ProtobufReader', () => {
  it('reads varints of every length, exactly up to 2^53', () => {
    for (const value of [0, 1, 127, 128, 16_383, 16_384, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1]) {
      expect(new ProtobufReader(varint(value)).varint()).toBe(value);
    }
  });

  it('reads int64 varints with their sign', () => {
    for (const value of [-1n, -42n, -(2n ** 31n), -(2n ** 62n), 2n ** 62n, -(2n ** 63n)]) {
      expect(new ProtobufReader(varint(value)).int64()).toBe(Number(value));
    }
  });

  it('reads fixed64 nanoseconds as exact milliseconds', () => {
    for (const nanoseconds of [
      0n,
      999_999n,
      1_000_000n,
      1_700_000_000_123_999_999n,
      7_258_118_399_999_999_999n,
    ]) {
      const reader = new ProtobufReader(fixed64Field(1, nanoseconds).subarray(1));
      expect(reader.milliseconds()).toBe(Number(nanoseconds / 1_000_000n));
    }
  });

  it('reads signed fixed64', () => {
    expect(new ProtobufReader(fixed64Field(1, -123_456_789n).subarray(1)).sfixed64()).toBe(
      -123_456_789,
    );
  });

  it('decodes short ASCII and longer UTF-8 strings alike', () => {
    for (const text of ['', 'gen_ai.request.model', 'modèle', '🦊'.repeat(20), 'x'.repeat(300)]) {
      const bytes = Buffer.from(text);
      expect(new ProtobufReader(bytes).string(bytes.length, 'name', new Location())).toBe(text);
    }
  });

  it('refuses invalid UTF-8, short (cached) or long, naming the field and the byte', () => {
    // A lone continuation byte, an overlong '/', a surrogate, a code point past U+10FFFF, a cut 🦊.
    const bad = [[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f]];
    for (const tail of bad) {
      for (const prefix of ['ok', 'x'.repeat(100)]) {
        const bytes = Buffer.concat([Buffer.from(prefix), Buffer.from(tail)]);
        // Twice: a failed decode must not leave anything in the cache.
        for (let round = 0; round < 2; round++) {
          expect(() =>
            new ProtobufReader(bytes).string(bytes.length, 'attribute key', new Location()),
          ).toThrow(
            new OtlpDecodeError(`attribute key is not valid UTF-8 (byte ${prefix.length})`),
          );
        }
      }
    }
  });

  it('fails with a one-line OtlpDecodeError, never a RangeError', () => {
    const reads: Array<[Uint8Array, (reader: ProtobufReader) => unknown]> = [
      [new Uint8Array(), (reader) => reader.varint()],
      [Uint8Array.of(0x80, 0x80), (reader) => reader.int64()],
      [new Uint8Array(7), (reader) => reader.double()],
      [Uint8Array.of(0x05, 1), (reader) => reader.end(2)],
    ];
    for (const [bytes, read] of reads) {
      expect(() => read(new ProtobufReader(bytes))).toThrow(OtlpDecodeError);
    }
  });
});
