import { type Context, context, createContextKey } from '@opentelemetry/api';
import type { Priority } from '../guard/fair-queue.js';
import type { CallState } from './call-state.js';
import type { NodeState, RunState } from './graph-state.js';

/**
 * What Headroom knows about the code running now: the graph node and run (so calls are tagged
 * with them), the tenant, and the logical call of a wrapper (LangChain, `trackCall`) whose inner
 * client calls belong to it. Kept as a value of the OTel context, so it rides on the one
 * AsyncLocalStorage the context manager already has: a second one would double the per-promise
 * cost of async context on Node 20.
 */
export interface Scope {
  readonly call?: CallState | undefined;
  readonly node?: NodeState | undefined;
  readonly run?: RunState | undefined;
  readonly tenant?: string | undefined;
  /** The guard's order for calls inside: `withPriority`. */
  readonly priority?: Priority | undefined;
}

const SCOPE_KEY = createContextKey('headroom.scope');

export function currentScope(): Scope | undefined {
  return context.active().getValue(SCOPE_KEY) as Scope | undefined;
}

/** Runs `fn` with `scope` (on top of `base`, default the active context) as the current scope. */
export function withScope<T>(scope: Scope, fn: () => T, base: Context = context.active()): T {
  return context.with(base.setValue(SCOPE_KEY, scope), fn);
}
