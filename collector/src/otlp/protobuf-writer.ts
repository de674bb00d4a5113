const utf8 = new TextEncoder();

/**
 * Just enough protobuf writing for the collector's replies: varints and length-delimited
 * fields, built into a plain array (replies are a few dozen bytes).
 */
export class ProtobufWriter {
  readonly #bytes: number[] = [];

  /** A varint field (wire type 0). */
  varint(field: number, value: number): this {
    this.#varint(field * 8);
    this.#varint(value);
    return this;
  }

  /** A string field (wire type 2). */
  string(field: number, text: string): this {
    return this.bytes(field, utf8.encode(text));
  }

  /** A bytes or embedded-message field (wire type 2). */
  bytes(field: number, bytes: Uint8Array): this {
    this.#varint(field * 8 + 2);
    this.#varint(bytes.length);
    for (const byte of bytes) this.#bytes.push(byte);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  #varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.#bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.#bytes.push(rest);
  }
}
