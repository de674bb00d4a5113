import type { Attributes, Context, Span } from '@opentelemetry/api';
import type { Outcome } from '../semconv.js';
import type { HeadroomHooks } from '../types.js';
import type { Recorder } from './histogram.js';

/** Usage and response facts a provider adapter learns while a call runs. */
export interface CallResult {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  responseModel?: string | undefined;
  responseId?: string | undefined;
  finishReasons?: string[] | undefined;
  outputMessages?: unknown;
}

/** What the lifecycle's adapter sees of a logical call (`CallState`). */
export interface CallRecord {
  /** Set by the adapter when the call starts. */
  span: Span;
  readonly attributes: Attributes;
  readonly serverAddress: string | undefined;
  readonly attempts: number;
  readonly result: CallResult;
}

/** An HTTP attempt of a call (`Attempt`). */
export interface AttemptRecord {
  /** Set by the adapter when it makes a span for the attempt. */
  span: Span | undefined;
  /** Kept by the adapter while it defers the attempt's span. */
  parent: Context | undefined;
  startedAt: number | undefined;
  readonly call: CallRecord;
  readonly method: string;
  /** 0 for the first attempt, 1 for the first retry, … */
  readonly resendCount: number;
}

/** One execution of a graph node (`NodeState`). */
export interface NodeRecord {
  span: Span;
  readonly graph: string;
  readonly node: string;
  readonly step: number | undefined;
}

/** One run of a graph (`RunState`). */
export interface RunRecord {
  span: Span;
  readonly graph: string;
  readonly recursionLimit: number | undefined;
}

/** How a logical call ended. */
export interface CallEnd {
  outcome: Outcome;
  /** `error.type`; '' when the call succeeded. */
  errorType: string;
  /** What was thrown, when the call failed. */
  error?: unknown;
  seconds: number;
}

/** How an HTTP attempt ended: a response (any status), or no response at all. */
export type AttemptEnd =
  | { status: number; outcome: Outcome }
  | { error: unknown; errorType: string; outcome: 'error' };

/**
 * The lifecycle events of the SDK's core: calls, their HTTP attempts, graph nodes and runs, each
 * started and ended exactly once. The core (call-state.ts, graph-state.ts) keeps the exact counts
 * and tells a `Lifecycle` what happened; the OpenTelemetry adapter (`SpanLifecycle`) turns the
 * events into spans. A start event returns the context the item's work runs in, so that what runs
 * inside it (attempts, inner calls, the app's own spans) nests under it.
 */
export interface Lifecycle {
  callStart(call: CallRecord, parent: Context): Context;
  callEnd(call: CallRecord, end: CallEnd): void;
  /** The call's set-up failed after it started: it ends uncounted. */
  callAbandon(call: CallRecord): void;
  attemptStart(attempt: AttemptRecord, parent: Context): void;
  attemptEnd(attempt: AttemptRecord, end: AttemptEnd): void;
  nodeStart(node: NodeRecord, parent: Context): Context;
  nodeEnd(node: NodeRecord, error: unknown): void;
  runStart(run: RunRecord, parent: Context): Context;
  runEnd(run: RunRecord, steps: number, error: unknown): void;
}

/** What the core's calls, nodes and runs need of the `Telemetry` that started them. */
export interface CoreHost {
  readonly lifecycle: Lifecycle;
  readonly hooks: HeadroomHooks;
  runHook<K extends keyof HeadroomHooks>(
    name: K,
    event: Parameters<NonNullable<HeadroomHooks[K]>>[0],
  ): void;
  /** Graph runs record their steps and durations here. */
  readonly store: {
    runStepsFor(graph: string, recursionLimit: number | undefined): Recorder;
    workflowDurationFor(graph: string, error: unknown): Recorder | undefined;
  };
}
