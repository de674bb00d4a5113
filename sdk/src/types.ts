import type { Attributes, MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { GuardClock } from './guard/clock.js';
import type { GuardOptions } from './guard/options.js';
import type { Outcome } from './semconv.js';

export interface HeadroomOptions {
  /** `service.name` of this process. Default: `OTEL_SERVICE_NAME`, else `unknown_service:node`. */
  serviceName?: string;
  /** `service.instance.id`: one per replica. Default: `HEADROOM_INSTANCE_ID`, else a random UUID. */
  serviceInstanceId?: string;
  /**
   * Where the OTLP/HTTP exports go (`/v1/metrics` and `/v1/traces` are appended).
   * Default: `HEADROOM_COLLECTOR_URL`, else `http://127.0.0.1:4800`. `false` turns OTLP export off.
   */
  collectorUrl?: string | false;
  /** OTLP encoding. Default: `OTEL_EXPORTER_OTLP_PROTOCOL` when it is one of these, else `http/protobuf`. */
  protocol?: 'http/protobuf' | 'http/json';
  /** Bearer token the collector asks for. Default: `HEADROOM_TOKEN`. */
  token?: string;
  /** Extra headers on every OTLP request. */
  headers?: Record<string, string>;
  /** How often metrics and spans are exported. Default: `HEADROOM_EXPORT_INTERVAL_MS`, else 500. */
  exportIntervalMillis?: number;
  /** Also serve Prometheus text on `http://{host}:{port}{endpoint}`. Default: off. */
  prometheus?: false | { port?: number; host?: string; endpoint?: string };
  /** Export spans here too (for example `@headroom/sdk/testing`'s in-memory exporter). */
  spanExporter?: SpanExporter;
  /** Export metrics here too. */
  metricExporter?: PushMetricExporter;
  /**
   * Record into the application's own OpenTelemetry providers instead of building a pipeline.
   * Headroom then adds no exporter: point the app's own exporters at the collector.
   */
  tracerProvider?: TracerProvider;
  meterProvider?: MeterProvider;
  /**
   * Register the pipeline Headroom builds as the global OpenTelemetry providers (and an
   * AsyncLocalStorage context manager) so the app's own spans join the same traces.
   * Default: true when the app has registered none of its own.
   */
  registerGlobals?: boolean;
  /**
   * Capture prompts and completions on spans (`gen_ai.input.messages`, `gen_ai.output.messages`).
   * Default: `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT === 'true'`; off otherwise.
   */
  captureContent?: boolean;
  /** `headroom.tenant` for calls that name none. */
  tenant?: string;
  /** Observe what Headroom records; a hook that throws is logged once and ignored. */
  hooks?: HeadroomHooks;
  /**
   * Also patch `openai`, `@anthropic-ai/sdk`, `@langchain/*` and `@langchain/langgraph` as the
   * app loads them, so clients created later need no `instrument` call (what
   * `--import @headroom/sdk/register` does). Default: false.
   */
  autoInstrument?: boolean;
  /**
   * Which GenAI conventions to emit, in the form of `OTEL_SEMCONV_STABILITY_OPT_IN` (the
   * default): `gen_ai_latest_experimental` switches to the current experimental names.
   */
  semconvStabilityOptIn?: string;
  /** @internal The guard's clock, so tests can move time by hand. */
  guardClock?: GuardClock;
}

export interface HeadroomHooks {
  onCallEnd?(event: CallEndEvent): void;
}

export interface CallEndEvent {
  attributes: Attributes;
  outcome: Outcome;
  errorType: string | undefined;
  attempts: number;
  durationSeconds: number;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
}

/** Options of `headroom.instrument(client, options)`. */
export interface InstrumentOptions {
  /** The name the key is known by (`headroom.key`). Default: a fingerprint of the client's API key. */
  key?: string;
  /** `gen_ai.provider.name`. Default: detected from the client. */
  provider?: string;
  /** `headroom.tenant` of every call of this client. */
  tenant?: string;
  /**
   * Admission control for this client's calls (see `GuardOptions`): `true` learns the ceilings
   * from the provider's rate-limit headers. openai and @anthropic-ai/sdk clients.
   */
  guard?: boolean | GuardOptions;
}

/** Options of `headroom.trackCall(options, fn)` for any other model client. */
export interface TrackCallOptions {
  provider: string;
  model: string;
  /** The name the key is known by (`headroom.key`). */
  key?: string;
  /** Or the key itself: only a short fingerprint of it is kept, never the key. */
  apiKey?: string;
  /** `gen_ai.operation.name`. Default: `chat`. */
  operation?: string;
  tenant?: string;
  serverAddress?: string;
}

/** What the function passed to `trackCall` can tell Headroom about its call. */
export interface TrackedCall {
  /** Token usage of the call (added up when called more than once). */
  usage(usage: { inputTokens?: number; outputTokens?: number }): void;
  /** The model that answered, when it differs from the one asked for. */
  responseModel(model: string): void;
  /**
   * Runs one HTTP attempt: `fn` resolves to the response (or anything with a `status` and
   * `headers`). Wrap each attempt of your own retry loop so that retries count as attempts.
   */
  attempt<T extends { status: number; headers?: { get(name: string): string | null } }>(
    fn: () => Promise<T>,
    options?: { method?: string },
  ): Promise<T>;
}

export interface NodeOptions {
  graph: string;
  node: string;
}

export interface RunOptions {
  graph: string;
  recursionLimit?: number;
}

export interface GraphOptions {
  /** `headroom.graph.name`. Default: the compiled graph's name, else `graph`. */
  name?: string;
}
