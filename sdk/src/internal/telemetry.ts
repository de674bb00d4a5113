import { type Context, context, trace } from '@opentelemetry/api';
import { Guard } from '../guard/guard.js';
import type { HeadroomHooks } from '../types.js';
import { CallState } from './call-state.js';
import { reportFault } from './fault.js';
import { NodeState, RunState } from './graph-state.js';
import type { CoreHost, Lifecycle } from './lifecycle.js';
import { currentScope, type Scope, withScope } from './scope.js';
import { type CallSeries, type CallSeriesKey, callAttributes, type SeriesStore } from './series.js';

export interface CallStart {
  provider: string;
  operation: string;
  model: string;
  key: string;
  tenant?: string | undefined;
  serverAddress?: string | undefined;
  /**
   * A stable object for the caller's client (its `ClientInfo`): calls outside any node or tenant
   * scope then find their series by operation and model alone, without building a series key.
   */
  source?: object;
}

/**
 * The SDK's core: starts calls, nodes and runs, keeps their exact counts in the series store,
 * and tells the lifecycle adapter about each (which makes the spans). The client adapters call
 * it; it knows nothing of any provider, and nothing of the OpenTelemetry SDK.
 */
export class Telemetry implements CoreHost {
  enabled = true;
  readonly #seriesBySource = new WeakMap<object, Map<string, Map<string, CallSeries>>>();

  constructor(
    readonly lifecycle: Lifecycle,
    readonly store: SeriesStore,
    readonly captureContent: boolean,
    readonly hooks: HeadroomHooks,
    readonly defaultTenant: string | undefined,
    /** The lanes of every guarded client of this Headroom. */
    readonly guard: Guard = new Guard(),
  ) {}

  startCall(start: CallStart, scope: Scope | undefined): CallState {
    const parent = parentContext(scope);
    if (start.source !== undefined && scope?.node === undefined && scope?.tenant === undefined) {
      let byOperation = this.#seriesBySource.get(start.source);
      if (byOperation === undefined) {
        byOperation = new Map();
        this.#seriesBySource.set(start.source, byOperation);
      }
      let byModel = byOperation.get(start.operation);
      if (byModel === undefined) {
        byModel = new Map();
        byOperation.set(start.operation, byModel);
      }
      let series = byModel.get(start.model);
      if (series === undefined) {
        series = this.store.callSeries(this.#seriesKey(start, undefined));
        // An overflow series is not kept here: its calls' spans need their own attributes.
        if (!series.overflow) byModel.set(start.model, series);
      }
      if (!series.overflow) return new CallState(this, series, start.serverAddress, parent);
    }
    const key = this.#seriesKey(start, scope);
    const series: CallSeries = this.store.callSeries(key);
    return new CallState(
      this,
      series,
      start.serverAddress,
      parent,
      // Past the series limit the metrics fold into one series; the span keeps its own names.
      series.overflow ? callAttributes(key) : series.attributes,
    );
  }

  #seriesKey(start: CallStart, scope: Scope | undefined): CallSeriesKey {
    const node = scope?.node;
    const key: CallSeriesKey = {
      provider: start.provider,
      operation: start.operation,
      model: start.model,
      key: start.key,
      tenant: start.tenant ?? scope?.tenant ?? this.defaultTenant,
      graph: node?.graph,
      node: node?.node,
      serverAddress: start.serverAddress,
    };
    return key;
  }

  /**
   * Runs `fn` as the body of `call`, for wrappers (LangChain, `trackCall`) whose inner client
   * calls must find it. Provider clients do not need this: their attempts carry the call.
   */
  runInCall<T>(call: CallState, scope: Scope | undefined, fn: () => T): T {
    return withScope({ ...scope, call }, fn, call.context);
  }

  startRun(graph: string, recursionLimit: number | undefined): RunState {
    return new RunState(this, graph, recursionLimit, context.active());
  }

  /** Runs `fn` as one execution of a node; settles the node when `fn`'s result settles. */
  runNode<T>(
    graph: string,
    node: string,
    run: RunState | undefined,
    step: number | undefined,
    fn: () => T,
  ): T {
    const scope = currentScope();
    let state: NodeState;
    try {
      const owner = run ?? scope?.run;
      state = new NodeState(
        this,
        this.store.nodeSeries(graph, node),
        graph,
        node,
        owner,
        step,
        owner?.context ?? context.active(),
      );
    } catch (error) {
      reportFault('start node', error);
      return fn();
    }
    const nodeScope: Scope = {
      tenant: scope?.tenant,
      priority: scope?.priority,
      run: state.run,
      node: state,
    };
    return settle(
      () => withScope(nodeScope, fn, state.context),
      (error) => state.end(error),
    );
  }

  runHook<K extends keyof HeadroomHooks>(
    name: K,
    event: Parameters<NonNullable<HeadroomHooks[K]>>[0],
  ): void {
    try {
      this.hooks[name]?.(event);
    } catch (error) {
      reportFault(`hook ${name}`, error);
    }
  }
}

/**
 * The parent of a new call span: the active span (inside a node, the node's span or a span the
 * app started in it). A call made inside another call's wrapper nests under that call.
 */
function parentContext(scope: Scope | undefined): Context {
  const active = context.active();
  return trace.getSpan(active) === undefined && scope?.node !== undefined
    ? scope.node.context
    : active;
}

/**
 * Calls `fn` and calls `done` once its result settles, returning the original value or promise
 * object untouched: `done` never changes what the caller sees.
 */
export function settle<T>(fn: () => T, done: (error?: unknown) => void): T {
  let result: T;
  try {
    result = fn();
  } catch (error) {
    safely(done, error);
    throw error;
  }
  if (isThenable(result)) {
    result.then(
      () => safely(done, undefined),
      (error: unknown) => safely(done, error ?? new Error('rejected')),
    );
  } else {
    safely(done, undefined);
  }
  return result;
}

function safely(done: (error?: unknown) => void, error: unknown): void {
  try {
    done(error);
  } catch (fault) {
    reportFault('end', fault);
  }
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
