import { anthropicSpec, isAnthropicClient } from './clients/anthropic.js';
import { configureClient } from './clients/client-info.js';
import { instrumentChatModel, isLangChainChatModel } from './clients/langchain.js';
import { isOpenAIClient, openaiSpec } from './clients/openai.js';
import { instrumentClientInstance } from './clients/patch-client.js';
import { trackCall } from './clients/track-call.js';
import { instrumentCompiledGraph, isCompiledGraph } from './graph/langgraph.js';
import { graphName } from './graph/langgraph-class.js';
import { PRIORITIES, type Priority } from './guard/fair-queue.js';
import { resolveGuard } from './guard/options.js';
import { describe, expectString, HeadroomOptionsError } from './internal/describe.js';
import { reportFault } from './internal/fault.js';
import type { Pipeline } from './internal/pipeline.js';
import { currentScope, withScope } from './internal/scope.js';
import { settle, type Telemetry } from './internal/telemetry.js';
import type {
  GraphOptions,
  InstrumentOptions,
  NodeOptions,
  RunOptions,
  TrackCallOptions,
  TrackedCall,
} from './types.js';

/** What `init()` returns: the handle an app uses to instrument its clients and graphs. */
export class Headroom {
  readonly #telemetry: Telemetry;
  readonly #pipeline: Pipeline;
  readonly #undo: Array<() => void> = [];
  #shutdown: Promise<void> | undefined;

  /** @internal Use `init()`. */
  constructor(telemetry: Telemetry, pipeline: Pipeline) {
    this.#telemetry = telemetry;
    this.#pipeline = pipeline;
  }

  /**
   * Instruments, in place, an `openai` client (`OpenAI`, `AzureOpenAI`), an `@anthropic-ai/sdk`
   * client, a LangChain chat model (`ChatOpenAI`, `ChatAnthropic`, …) or a compiled LangGraph
   * graph, and returns it. Anything else is returned untouched, with one warning.
   */
  instrument<T>(target: T, options: InstrumentOptions & GraphOptions = {}): T {
    try {
      validateInstrumentOptions(options);
      const client = target as any;
      if (isCompiledGraph(client)) {
        instrumentCompiledGraph(client, this.#telemetry, options.name ?? graphName(client));
      } else if (isLangChainChatModel(client)) {
        this.#connectGuard(options);
        instrumentChatModel(client, this.#telemetry, options, (undo) => this.addUndo(undo));
      } else if (isOpenAIClient(client)) {
        this.#connectGuard(options);
        configureClient(client, options);
        instrumentClientInstance(client, openaiSpec, this.#telemetry);
      } else if (isAnthropicClient(client)) {
        this.#connectGuard(options);
        configureClient(client, options);
        instrumentClientInstance(client, anthropicSpec, this.#telemetry);
      } else {
        reportFault(
          'instrument',
          new TypeError(
            'not an openai or @anthropic-ai/sdk client, LangChain chat model or compiled LangGraph graph; left as it is',
          ),
        );
      }
    } catch (error) {
      if (error instanceof HeadroomOptionsError) throw error;
      reportFault('instrument', error);
    }
    return target;
  }

  /** A fleet-wide guard connects to its Redis now, so the first calls find it ready. */
  #connectGuard(options: InstrumentOptions): void {
    const redis = resolveGuard(options.guard)?.redis;
    if (redis !== undefined) this.#telemetry.guard.connect(redis);
  }

  /** Same as `instrument(graph, { name })`, for readability where a graph is meant. */
  instrumentGraph<T>(graph: T, options: GraphOptions = {}): T {
    return this.instrument(graph, options);
  }

  /**
   * Records any other model client's call as one logical call. `fn` gets a `TrackedCall` to
   * report usage and to wrap each HTTP attempt; its result (the same promise object) is returned.
   */
  trackCall<T>(options: TrackCallOptions, fn: (call: TrackedCall) => T): T {
    expectString('provider', options?.provider);
    expectString('model', options?.model);
    for (const name of ['key', 'apiKey', 'operation', 'tenant', 'serverAddress'] as const) {
      expectString(name, options[name], true);
    }
    return trackCall(this.#telemetry, options, fn);
  }

  /**
   * Wraps a hand-written graph node: each call of the returned function is one execution of
   * `node`, and model calls inside it are tagged with the node and nest under its span.
   */
  node<F extends (...args: any[]) => any>(options: NodeOptions, fn: F): F {
    expectString('graph', options?.graph);
    expectString('node', options?.node);
    const telemetry = this.#telemetry;
    return function headroomNode(this: unknown, ...args: unknown[]) {
      if (!telemetry.enabled) return fn.apply(this, args);
      return telemetry.runNode(options.graph, options.node, undefined, undefined, () =>
        fn.apply(this, args),
      );
    } as F;
  }

  /** Runs `fn` as one run of a hand-written graph: nodes inside count toward its steps. */
  run<T>(options: RunOptions, fn: () => T): T {
    expectString('graph', options?.graph);
    let run: ReturnType<Telemetry['startRun']>;
    try {
      run = this.#telemetry.startRun(options.graph, options.recursionLimit);
    } catch (error) {
      reportFault('start graph run', error);
      return fn();
    }
    const scope = currentScope();
    return settle(
      () => withScope({ tenant: scope?.tenant, priority: scope?.priority, run }, fn, run.context),
      (error) => run.end(error),
    );
  }

  /**
   * Runs `fn` with every guarded model call inside it at `priority`: within a tenant's turn,
   * `interactive` calls are admitted before `normal` ones (the default), and those before `batch`;
   * a call that waits counts a level more urgent every 5 s, so none starves.
   */
  withPriority<T>(priority: Priority, fn: () => T): T {
    if (!PRIORITIES.includes(priority)) {
      throw new HeadroomOptionsError(
        `Expected \`priority\` to be one of ${PRIORITIES.join(', ')}, got ${describe(priority)}`,
      );
    }
    return withScope({ ...currentScope(), priority }, fn);
  }

  /** Runs `fn` with `headroom.tenant` set for every model call inside it. */
  withTenant<T>(tenant: string, fn: () => T): T {
    expectString('tenant', tenant);
    return withScope({ ...currentScope(), tenant }, fn);
  }

  /**
   * The URL of the Prometheus endpoint (`init({ prometheus })`) once it listens; undefined when
   * there is none or its port could not be bound.
   */
  prometheusUrl(): Promise<string | undefined> {
    return this.#pipeline.prometheusUrl;
  }

  /** Exports everything recorded so far. */
  async forceFlush(): Promise<void> {
    try {
      await this.#pipeline.forceFlush();
    } catch (error) {
      reportFault('flush', error);
    }
  }

  /** Flushes, stops recording, undoes module patches, and releases the global providers it set. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#telemetry.enabled = false;
      for (const undo of this.#undo.splice(0).reverse()) undo();
      try {
        await Promise.all([this.#pipeline.shutdown(), this.#telemetry.guard.close()]);
      } catch (error) {
        reportFault('shutdown', error);
      }
    })();
    return this.#shutdown;
  }

  /** @internal */
  get telemetry(): Telemetry {
    return this.#telemetry;
  }

  /** @internal Registers a patch for `shutdown` to undo. */
  addUndo(undo: () => void): void {
    this.#undo.push(undo);
  }
}

function validateInstrumentOptions(options: InstrumentOptions & GraphOptions): void {
  for (const name of ['key', 'provider', 'tenant', 'name'] as const)
    expectString(name, options?.[name], true);
  resolveGuard(options?.guard);
}
