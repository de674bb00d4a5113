import { type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api';
import {
  InstrumentationBase,
  type InstrumentationConfig,
  InstrumentationNodeModuleDefinition,
} from '@opentelemetry/instrumentation';
import { HOOKS, isSupported } from './auto/module-instrumentation.js';
import type { GuardClock } from './guard/clock.js';
import { Guard } from './guard/guard.js';
import { Headroom } from './headroom.js';
import { conventionsFromEnv, type GenAiConventions } from './internal/conventions.js';
import { expectString } from './internal/describe.js';
import { reportFault } from './internal/fault.js';
import { MetricsHub } from './internal/metrics-hub.js';
import type { Pipeline } from './internal/pipeline.js';
import { SpanLifecycle } from './internal/span-lifecycle.js';
import { Telemetry } from './internal/telemetry.js';
import type { HeadroomHooks } from './types.js';
import { SCOPE_NAME, VERSION } from './version.js';

export interface HeadroomInstrumentationConfig extends InstrumentationConfig {
  /**
   * Capture prompts and completions on spans (`gen_ai.input.messages`, `gen_ai.output.messages`).
   * Default: `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT === 'true'`.
   */
  captureContent?: boolean;
  /** `headroom.tenant` for calls that name none. */
  tenant?: string;
  /** Observe what Headroom records; a hook that throws is logged once and ignored. */
  hooks?: HeadroomHooks;
  /**
   * Which GenAI conventions to emit, as `OTEL_SEMCONV_STABILITY_OPT_IN` lists them (the default
   * is that variable): `gen_ai_latest_experimental` switches to the current experimental names.
   */
  semconvStabilityOptIn?: string;
  /** @internal The guard's clock, so tests can move time by hand. */
  guardClock?: GuardClock;
}

/**
 * Headroom as an OpenTelemetry instrumentation: hand it to `NodeSDK` (or `registerInstrumentations`)
 * and it patches `openai`, `@anthropic-ai/sdk`, `@langchain/openai`, `@langchain/anthropic` and
 * `@langchain/langgraph` as they load (require-in-the-middle for CommonJS, import-in-the-middle
 * for ESM), recording with the tracer and meter of the providers it is given. The app's sampler,
 * span limits, resource and Views then apply to Headroom's spans and metrics; its counts (RPM, in
 * flight, 429s) are kept apart from the spans, so they stay exact whatever the sampler drops.
 *
 * `headroom` is the handle for what patching cannot do: `instrument` a client created before,
 * `trackCall`, `node`, `run`, `withTenant`.
 */
export class HeadroomInstrumentation extends InstrumentationBase<HeadroomInstrumentationConfig> {
  // Set after `super()`: the base constructor already calls `_updateMetricInstruments` and `init`.
  private _core: { telemetry: Telemetry; hub: MetricsHub; lifecycle: SpanLifecycle } | undefined;
  private _unbindMeter: (() => void) | undefined;
  private _handle: Headroom | undefined;
  private readonly _patched = new Map<string, () => void>();
  private _tracerProvider: TracerProvider | undefined;
  private _meterProvider: MeterProvider | undefined;

  constructor(config: HeadroomInstrumentationConfig = {}) {
    if (config === null || typeof config !== 'object') {
      throw new TypeError(
        `Expected \`config\` to be an object, got ${config === null ? 'null' : typeof config}`,
      );
    }
    expectString('tenant', config.tenant, true);
    super(SCOPE_NAME, VERSION, config);
    const captureContent =
      config.captureContent ??
      process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.toLowerCase() === 'true';
    const conventions: GenAiConventions = conventionsFromEnv(
      config.semconvStabilityOptIn ?? process.env.OTEL_SEMCONV_STABILITY_OPT_IN,
    );
    const hub = new MetricsHub(conventions);
    const lifecycle = new SpanLifecycle(this.tracer, captureContent, conventions);
    const telemetry = new Telemetry(
      lifecycle,
      hub.store,
      captureContent,
      config.hooks ?? {},
      config.tenant,
      new Guard(config.guardClock),
    );
    this._core = { telemetry, hub, lifecycle };
    this._updateMetricInstruments();
  }

  /** The handle to instrument clients and graphs by hand, recording into this instrumentation. */
  get headroom(): Headroom {
    this._handle ??= new Headroom(this.telemetry, this.#appPipeline());
    return this._handle;
  }

  /** @internal */
  get telemetry(): Telemetry {
    return this._core!.telemetry;
  }

  /** @internal The conventions this instrumentation emits. */
  get conventions(): GenAiConventions {
    return this._core!.hub.store.conventions;
  }

  override setTracerProvider(tracerProvider: TracerProvider): void {
    super.setTracerProvider(tracerProvider);
    this._tracerProvider = tracerProvider;
    if (this._core) this._core.lifecycle.tracer = this.tracer;
  }

  override setMeterProvider(meterProvider: MeterProvider): void {
    this._meterProvider = meterProvider;
    super.setMeterProvider(meterProvider);
  }

  protected override _updateMetricInstruments(): void {
    if (this._core === undefined) return;
    this._unbindMeter?.();
    this._unbindMeter = this._core.hub.bind(this.meter);
  }

  /**
   * @internal Records into one more meter provider besides the instrumentation's own (each with
   * its own in-flight peaks); returns how to stop.
   */
  bindMeterProvider(meterProvider: MeterProvider): () => void {
    return this._core!.hub.bind(meterProvider.getMeter(SCOPE_NAME, VERSION));
  }

  /** @internal Stops recording into the meter: its instruments' callbacks are removed. */
  unbind(): void {
    this._unbindMeter?.();
    this._unbindMeter = undefined;
  }

  protected override init() {
    return HOOKS.flatMap((hook) => [
      new InstrumentationNodeModuleDefinition(
        hook.module,
        hook.versions,
        (moduleExports) => {
          const telemetry = this._core?.telemetry;
          if (telemetry === undefined) return moduleExports;
          try {
            this._patched.set(hook.module, hook.patch(moduleExports, telemetry));
          } catch (error) {
            reportFault(`patch ${hook.module}`, error);
          }
          return moduleExports;
        },
        () => {
          this._patched.get(hook.module)?.();
          this._patched.delete(hook.module);
        },
      ),
      // Any other version is left as it is, which the app is told once: silence would read as
      // a client that makes no calls.
      new InstrumentationNodeModuleDefinition(hook.module, ['*'], (moduleExports, version) => {
        if (!isSupported(hook, version)) {
          reportFault(
            `patch ${hook.module}`,
            new RangeError(
              `version ${version ?? 'unknown'} is outside the supported range ${hook.versions.join(' || ')}: its calls go on uninstrumented`,
            ),
          );
        }
        return moduleExports;
      }),
    ]);
  }

  /** What `headroom.forceFlush` and `shutdown` do when the app owns the providers. */
  #appPipeline(): Pipeline {
    const flush = async (provider: unknown) => {
      const target =
        (provider as { getDelegate?: () => unknown } | undefined)?.getDelegate?.() ?? provider;
      const forceFlush = (target as { forceFlush?: () => Promise<void> } | undefined)?.forceFlush;
      if (typeof forceFlush === 'function') await forceFlush.call(target);
    };
    return {
      prometheusUrl: Promise.resolve(undefined),
      forceFlush: async () => {
        await Promise.all([
          flush(this._tracerProvider ?? trace.getTracerProvider()),
          flush(this._meterProvider ?? metrics.getMeterProvider()),
        ]);
      },
      shutdown: async () => {
        this.disable();
        this.unbind();
      },
    };
  }
}
