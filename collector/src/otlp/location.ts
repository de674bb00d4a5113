import { OtlpDecodeError } from './otlp-decode-error.js';

type Part = 'request' | 'resource' | 'scope' | 'metric' | 'span';

/**
 * Where a decoder is in the request, so that a rejection names the metric, point or span at
 * fault. Decoders update the fields as they go (plain writes, no allocation) and read them only
 * when something is wrong.
 */
export class Location {
  part: Part = 'request';
  /** The metric's or span's name once read; protobuf does not promise it comes first. */
  name: string | undefined = undefined;
  /** Metrics or spans entered so far in this request, to name one whose name is not read yet. */
  ordinal = -1;
  /** The data point's index inside its metric; -1 outside points. */
  point = -1;

  enter(part: Part): void {
    this.part = part;
    this.name = undefined;
    this.point = -1;
    if (part === 'metric' || part === 'span') this.ordinal++;
  }

  fail(message: string): never {
    throw new OtlpDecodeError(this.describe() + message);
  }

  describe(): string {
    if (this.part === 'request') return '';
    if (this.part === 'resource' || this.part === 'scope') return `${this.part}: `;
    const subject =
      this.name === undefined
        ? `${this.part} #${this.ordinal}`
        : `${this.part} ${quote(this.name)}`;
    return this.point >= 0 ? `${subject} point ${this.point}: ` : `${subject}: `;
  }
}

/** A sender's text inside an error message: cut short and kept on one line. */
export function quote(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip.
  return `\`${shown.replace(/[\u0000-\u001f\u007f]/g, '?')}\``;
}
