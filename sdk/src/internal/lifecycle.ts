import type { Context } from '@opentelemetry/api';
import type { Outcome } from '../semconv.js';
import type { Attempt, CallState } from './call-state.js';
import type { NodeState, RunState } from './graph-state.js';

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
  callStart(call: CallState, parent: Context): Context;
  callEnd(call: CallState, end: CallEnd): void;
  /** The call's set-up failed after it started: it ends uncounted. */
  callAbandon(call: CallState): void;
  attemptStart(attempt: Attempt, parent: Context): void;
  attemptEnd(attempt: Attempt, end: AttemptEnd): void;
  nodeStart(node: NodeState, parent: Context): Context;
  nodeEnd(node: NodeState, error: unknown): void;
  runStart(run: RunState, parent: Context): Context;
  runEnd(run: RunState, steps: number, error: unknown): void;
}
