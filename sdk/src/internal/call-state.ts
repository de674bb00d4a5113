import type { Attributes, Context, Span } from '@opentelemetry/api';
import type { GuardedCall } from '../guard/guarded-fetch.js';
import type * as semconv from '../semconv.js';
import type { CallEndEvent } from '../types.js';
import { classifyError, outcomeOfStatus } from './classify.js';
import { reportFault } from './fault.js';
import type { AttemptRecord, CallRecord, CallResult, CoreHost } from './lifecycle.js';
import type { Tracked } from './repeat-tracker.js';
import { type CallSeries, OUTCOME_INDEX, RETRY_INDEX } from './series.js';

export type { CallResult } from './lifecycle.js';

/**
 * One logical model call: its series, its HTTP attempts and its result. Ended exactly once, by
 * `end` or `fail`; the in-flight count goes back down whatever happens. Its counts are kept here,
 * whatever a sampler decides about its span: the lifecycle's adapter makes the span.
 */
export class CallState implements CallRecord, Tracked {
  /** The call's span, set by the lifecycle adapter when the call starts. */
  span!: Span;
  readonly context: Context;
  readonly startTime = performance.now();
  attempts = 0;
  /** Requests the client made for this call: more than one when a framework (LangChain) retried. */
  invocations = 0;
  #invocationAttempts = 0;
  /** The app's request, for telling its retries (see `RepeatTracker`); dropped once hashed. */
  request: unknown = undefined;
  print: string | undefined = undefined;
  #tracked = false;
  readonly result: CallResult = {};
  /** Set when the call's client is guarded: its attempts wait for admission. */
  guard: GuardedCall | undefined;
  #ended = false;

  constructor(
    readonly telemetry: CoreHost,
    readonly series: CallSeries,
    readonly serverAddress: string | undefined,
    parent: Context,
    /** The call's own attributes: its series', unless the series is the overflow one. */
    readonly attributes: Attributes = series.attributes,
  ) {
    series.active.increment();
    series.limit.active.increment();
    this.context = telemetry.lifecycle.callStart(this, parent);
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

  /**
   * The app's request for this call: counted as an app-level retry when it repeats one that
   * failed or is still in flight on the series. Call once, right after the call starts.
   */
  noteRequest(request: unknown): void {
    if (this.#tracked || this.#ended) return;
    this.#tracked = true;
    this.request = request;
    if (this.series.repeats.start(this, this.startTime)) this.series.retries[RETRY_INDEX.app]!++;
  }

  /** The client is asked for this call's response (again, when a framework retries it). */
  invoke(): void {
    this.invocations++;
    this.#invocationAttempts = 0;
  }

  startAttempt(method: string): Attempt {
    // A resend inside one request is the client's retry; the first attempt of a request made
    // again is the framework's.
    if (this.#invocationAttempts > 0) this.series.retries[RETRY_INDEX.client]!++;
    else if (this.invocations > 1) this.series.retries[RETRY_INDEX.framework]!++;
    this.#invocationAttempts++;
    return new Attempt(this, method, this.attempts++);
  }

  end(): void {
    this.#finish('ok', '', undefined);
  }

  fail(error: unknown): void {
    if (this.#ended) return;
    const refused = this.guard?.refused;
    // Refused by the guard: never sent, so no rate limit of the provider's.
    const { outcome, errorType } =
      refused !== undefined
        ? { outcome: 'error' as const, errorType: `guard.${refused.reason}` }
        : classifyError(error);
    this.#finish(outcome, errorType, error ?? new Error('failed'));
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
    if (this.#tracked) this.series.repeats.end(this, false, performance.now());
    this.telemetry.lifecycle.callAbandon(this);
  }

  #finish(outcome: semconv.Outcome, errorType: string, error: unknown): void {
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
    if (this.#tracked) series.repeats.end(this, outcome !== 'ok', performance.now());
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
    const telemetry = this.telemetry;
    telemetry.lifecycle.callEnd(this, { outcome, errorType, error, seconds });
    if (telemetry.hooks.onCallEnd) {
      const event: CallEndEvent = {
        attributes: this.attributes,
        outcome,
        errorType: errorType === '' ? undefined : errorType,
        attempts: Math.max(1, this.attempts),
        durationSeconds: seconds,
        inputTokens: result.inputTokens,
        outputTokens: result.outputTokens,
      };
      telemetry.runHook('onCallEnd', event);
    }
  }
}

/** One HTTP attempt of a logical call: one `headroom.requests` count, and its span. */
export class Attempt implements AttemptRecord {
  /** The lifecycle adapter's: the attempt's span, or what it needs to make one later. */
  span: Span | undefined = undefined;
  parent: Context | undefined = undefined;
  startedAt: number | undefined = undefined;
  #ended = false;

  constructor(
    readonly call: CallState,
    readonly method: string,
    readonly resendCount: number,
  ) {
    call.telemetry.lifecycle.attemptStart(this, call.context);
  }

  /** The response arrived (any status): count it, keep its rate-limit headers for export. */
  respond(status: number, headers: { get(name: string): string | null } | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    const outcome = outcomeOfStatus(status);
    const series = this.call.series;
    series.requests[OUTCOME_INDEX[outcome]]!++;
    if (headers !== undefined) series.limit.lastHeaders = headers;
    this.call.telemetry.lifecycle.attemptEnd(this, { status, outcome });
  }

  /** No response at all (connection refused, timeout, abort). */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.call.series.requests[OUTCOME_INDEX.error]!++;
    this.call.telemetry.lifecycle.attemptEnd(this, {
      error,
      errorType: classifyError(error).errorType,
      outcome: 'error',
    });
  }
}
