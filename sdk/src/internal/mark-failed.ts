import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '../semconv.js';

/** Sets a span's status to ERROR with the error's message, and `error.type` when given. */
export function markFailed(span: Span, error: unknown, errorType?: string): void {
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
  if (errorType !== undefined) span.setAttribute(ATTR_ERROR_TYPE, errorType);
}

/** `error.type` of something thrown that carries no status: its class name. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '_OTHER';
}
