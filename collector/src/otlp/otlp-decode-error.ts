/**
 * The one error the OTLP decoders throw: a one-line reason meant for the sender, and the HTTP
 * status to answer with (400 for a malformed body, 415 for an encoding we do not speak).
 */
export class OtlpDecodeError extends Error {
  readonly status: number;

  constructor(message: string, status = 400) {
    super(message);
    this.name = 'OtlpDecodeError';
    this.status = status;
  }
}
