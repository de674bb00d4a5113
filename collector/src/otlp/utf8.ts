/**
 * OTLP strings are UTF-8 (proto3 rejects invalid UTF-8 in `string` fields, and JSON text is
 * UTF-8 by RFC 8259 §8.1): a body that is not gets a 400 rather than U+FFFD in a key or name.
 */
const fatal = new TextDecoder('utf-8', { fatal: true });

/** The text of `bytes`, or undefined when they are not valid UTF-8. */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return fatal.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Where the first byte that is not part of well-formed UTF-8 is (Unicode 15, table 3-7), or -1.
 * Only for error messages: TextDecoder does not say where it failed.
 */
export function invalidUtf8At(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    let continuations: number;
    if (lead >= 0xc2 && lead <= 0xdf) continuations = 1;
    else if (lead >= 0xe0 && lead <= 0xef) continuations = 2;
    else if (lead >= 0xf0 && lead <= 0xf4) continuations = 3;
    else return index;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    const second = bytes[index + 1];
    if (second === undefined || second < low || second > high) return index;
    for (let offset = 2; offset <= continuations; offset++) {
      const next = bytes[index + offset];
      if (next === undefined || next < 0x80 || next > 0xbf) return index;
    }
    index += continuations + 1;
  }
  return -1;
}
