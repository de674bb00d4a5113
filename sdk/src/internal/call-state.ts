import { type Context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { GuardedCall } from '../guard/guarded-fetch.js';
import * as semconv from '../semconv.js';
import type { CallEndEvent } from '../types.js';
import { classifyError, outcomeOfStatus } from './classify.js';
import { reportFault } from './fault.js';
import { markFailed } from './mark-failed.js';
import { type CallSeries, OUTCOME_INDEX } from './series.js';
import type { Telemetry } from './telemetry.js';

/** Usage and response facts a provider adapter learns while a call runs. */
export interface CallResult {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  responseModel?: string | undefined;
  responseId?: string | undefined;
  finishReasons?: string[] | undefined;
  outputMessages?: unknown;
}

/**
 * One logical model call: its CLIENT span, its series, and its HTTP attempts. Ended exactly once,
 * by `end` or `fail`; the in-flight count goes back down whatever happens.
 */
export class CallState {
  readonly span: Span;
  readonly context: Context;
  readonly startTime = performance.now();
  attempts = 0;
  readonly result: CallResult = {};
  /** Set when the call's client is guarded: its attempts wait for admission. */
  guard: GuardedCall | undefined;
  #ended = false;

  constructor(
    readonly telemetry: Telemetry,
    readonly series: CallSeries,
    readonly serverAddress: string | undefined,
    parent: Context,
  ) {
    const model = series.attributes[semconv.ATTR_GEN_AI_REQUEST_MODEL];
    const operation = series.attributes[semconv.ATTR_GEN_AI_OPERATION_NAME];
    this.span = telemetry.tracer.startSpan(
      `${operation} ${model}`,
      { kind: SpanKind.CLIENT, attributes: series.attributes },
      parent,
    );
    this.context = trace.setSpan(parent, this.span);
    series.active.increment();
    series.limit.active.increment();
  }

  /** Runs once, when the first HTTP attempt of the call is answered (see `observeParse`). */
  onAnswer: (() => void) | undefined;

  answered(): void {
    const onAnswer = this.onAnswer;
    if (onAnswer === undefined) return;
    this.onAnswer = undefined;
    try {
      onAnswer();
    } catch (error) {
      reportFault('answer', error);
    }
  }

  get ended(): boolean {
    return this.#ended;
  }

  addUsage(input: number | undefined, output: number | undefined): void {
    if (typeof input === 'number' && input >= 0)
      this.result.inputTokens = (this.result.inputTokens ?? 0) + input;
    if (typeof output === 'number' && output >= 0)
      this.result.outputTokens = (this.result.outputTokens ?? 0) + output;
  }

  startAttempt(method: string): Attempt {
    return new Attempt(this, method, this.attempts++);
  }

  end(): void {
    this.#finish('ok', '');
  }

  fail(error: unknown): void {
    if (this.#ended) return;
    const refused = this.guard?.refused;
    // Refused by the guard: never sent, so no rate limit of the provider's.
    const { outcome, errorType } =
      refused !== undefined
        ? { outcome: 'error' as const, errorType: `guard.${refused.reason}` }
        : classifyError(error);
    markFailed(this.span, error);
    this.#finish(outcome, errorType);
  }

  /**
   * Gives the call up uncounted, when its set-up failed after it started (the guard could not
   * be attached): the app's request then goes on uninstrumented, so it must leave the in-flight
   * count and its span must end, but it is no call of Headroom's to count.
   */
  abandon(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.series.active.decrement();
    this.series.limit.active.decrement();
    this.span.end();
  }

  #finish(outcome: semconv.Outcome, errorType: string): void {
    if (this.#ended) return;
    this.#ended = true;
    const series = this.series;
    const result = this.result;
    const seconds = (performance.now() - this.startTime) / 1000;
    const index = OUTCOME_INDEX[outcome];
    const charge = this.guard?.charge;
    if (charge !== undefined)
      this.guard!.lane.correct(charge, result.inputTokens, result.outputTokens);
    series.active.decrement();
    series.limit.active.decrement();
    series.calls[index]!++;
    // A client whose HTTP layer we could not see (a plain `trackCall`) still made one request.
    // A call the guard refused sent none.
    if (this.attempts === 0 && this.guard?.refused === undefined) series.requests[index]!++;
    series.duration(errorType).record(seconds);
    if (result.inputTokens !== undefined) {
      series.inputTokens += result.inputTokens;
      series.inputTokenUsage.record(result.inputTokens);
    }
    if (result.outputTokens !== undefined) {
      series.outputTokens += result.outputTokens;
      series.outputTokenUsage.record(result.outputTokens);
    }
    // One object, set once: each setAttribute call validates and counts on its own.
    const attributes: Record<string, string | number | string[]> = {
      [semconv.ATTR_HEADROOM_OUTCOME]: outcome,
      [semconv.ATTR_HEADROOM_ATTEMPTS]: Math.max(1, this.attempts),
    };
    if (errorType !== '') attributes[semconv.ATTR_ERROR_TYPE] = errorType;
    if (result.inputTokens !== undefined)
      attributes[semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS] = result.inputTokens;
    if (result.outputTokens !== undefined)
      attributes[semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = result.outputTokens;
    if (result.responseModel !== undefined)
      attributes[semconv.ATTR_GEN_AI_RESPONSE_MODEL] = result.responseModel;
    if (result.responseId !== undefined)
      attributes[semconv.ATTR_GEN_AI_RESPONSE_ID] = result.responseId;
    if (result.finishReasons !== undefined)
      attributes[semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = result.finishReasons;
    if (result.outputMessages !== undefined && this.telemetry.captureContent) {
      attributes[semconv.ATTR_GEN_AI_OUTPUT_MESSAGES] = safeJson(result.outputMessages);
    }
    const span = this.span;
    span.setAttributes(attributes);
    span.end();
    if (this.telemetry.hooks.onCallEnd) {
      const event: CallEndEvent = {
        attributes: series.attributes,
        outcome,
        errorType: errorType === '' ? undefined : errorType,
        attempts: Math.max(1, this.attempts),
        durationSeconds: seconds,
        inputTokens: result.inputTokens,
        outputTokens: result.outputTokens,
      };
      this.telemetry.runHook('onCallEnd', event);
    }
  }
}

/** One HTTP attempt of a logical call: a child CLIENT span and one `headroom.requests` count. */
export class Attempt {
  readonly #span: Span;
  #ended = false;

  constructor(
    private readonly call: CallState,
    method: string,
    resendCount: number,
  ) {
    const attributes: Record<string, string | number> = {
      [semconv.ATTR_HTTP_REQUEST_METHOD]: method,
    };
    if (call.serverAddress !== undefined)
      attributes[semconv.ATTR_SERVER_ADDRESS] = call.serverAddress;
    if (resendCount > 0) attributes[semconv.ATTR_HTTP_REQUEST_RESEND_COUNT] = resendCount;
    this.#span = call.telemetry.tracer.startSpan(
      method,
      { kind: SpanKind.CLIENT, attributes },
      call.context,
    );
  }

  /** The response arrived (any status): count it, keep its rate-limit headers for export. */
  respond(status: number, headers: { get(name: string): string | null } | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    const outcome = outcomeOfStatus(status);
    const series = this.call.series;
    series.requests[OUTCOME_INDEX[outcome]]!++;
    if (headers !== undefined) series.limit.lastHeaders = headers;
    const span = this.#span;
    span.setAttribute(semconv.ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (outcome !== 'ok') {
      span.setAttribute(semconv.ATTR_ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }

  /** No response at all (connection refused, timeout, abort). */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.call.series.requests[OUTCOME_INDEX.error]!++;
    markFailed(this.#span, error, classifyError(error).errorType);
    this.#span.end();
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserializable]';
  }
}
