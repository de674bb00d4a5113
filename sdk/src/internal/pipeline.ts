import { randomUUID } from 'node:crypto';
import {
  type MeterProvider as ApiMeterProvider,
  type TracerProvider as ApiTracerProvider,
  type Attributes,
  context,
  metrics,
  propagation,
  trace,
} from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPMetricExporter as OTLPMetricExporterJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPMetricExporterProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter as OTLPTraceExporterJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  type Resource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  type IMetricReader,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { HeadroomOptions } from '../types.js';
import { SCOPE_NAME } from '../version.js';
import { describe } from './describe.js';
import { reportFault } from './fault.js';
import { type PrometheusServer, servePrometheus } from './prometheus-server.js';
import { reportingMetricExporter, reportingSpanExporter } from './reporting-exporter.js';
import { SERIES_LIMIT } from './series.js';

/** What the pipeline needs of `HeadroomInstrumentation`. */
export interface PipelineInstrumentation extends Instrumentation {
  /** Records into one more meter provider (with its own in-flight peaks); returns how to stop. */
  bindMeterProvider(meterProvider: MeterProvider): () => void;
  /** Stops recording into the instrumentation's own meter. */
  unbind(): void;
}

export interface Pipeline {
  /** Where Prometheus text is served, when it is. */
  prometheusUrl: Promise<string | undefined>;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Nothing to export to and nothing to release: OTEL_SDK_DISABLED. */
export const NO_PIPELINE: Pipeline = {
  prometheusUrl: Promise.resolve(undefined),
  forceFlush: async () => {},
  shutdown: async () => {},
};

/**
 * Records into the application's own providers (given to `init`, or else the globals): Headroom
 * adds no exporter and the app's pipeline decides everything.
 */
export function appPipeline(
  options: HeadroomOptions,
  instrumentation: PipelineInstrumentation,
): Pipeline {
  const tracerProvider: ApiTracerProvider = options.tracerProvider ?? trace.getTracerProvider();
  const meterProvider: ApiMeterProvider = options.meterProvider ?? metrics.getMeterProvider();
  instrumentation.setTracerProvider(tracerProvider);
  instrumentation.setMeterProvider(meterProvider);
  const releaseContext = ensureContextManager();
  return {
    prometheusUrl: Promise.resolve(undefined),
    forceFlush: async () => {
      await Promise.all([flushOf(tracerProvider), flushOf(meterProvider)]);
    },
    shutdown: async () => {
      // The app's providers are the app's to shut down; flush what Headroom recorded into them.
      await Promise.allSettled([flushOf(tracerProvider), flushOf(meterProvider)]);
      instrumentation.unbind();
      releaseContext();
    },
  };
}

/**
 * The pipeline for an app with no OpenTelemetry set-up of its own: `NodeSDK` with Headroom's
 * exporters (OTLP to the collector, batched at the export interval) and `HeadroomInstrumentation`,
 * so the standard environment applies (`OTEL_TRACES_SAMPLER`, span limits, propagators, …).
 * When the app already registered providers of its own (or `registerGlobals: false`), the same
 * providers are built without registering them, and Headroom's spans and metrics go to them alone.
 */
export function ownPipeline(
  options: HeadroomOptions,
  instrumentation: PipelineInstrumentation,
): Pipeline {
  const settings = exportSettings(options);
  const resource = buildResource(options);
  const views: ViewOptions[] = [
    // The store folds series past SERIES_LIMIT itself; the SDK's own limit (2,000 attribute sets
    // per instrument) must sit above the most any instrument can then have: four
    // `headroom.ratelimit.dimension` values per series.
    { meterName: SCOPE_NAME, aggregationCardinalityLimit: 4 * (SERIES_LIMIT + 1) },
  ];
  const spanProcessors: SpanProcessor[] = [];
  const metricExporters: PushMetricExporter[] = [];
  if (settings.collector !== undefined) {
    const { base, metricsUrl, tracesUrl, metricsJson, tracesJson, headers } = settings.collector;
    // Each export may take at most the interval, so a slow collector never piles exports up.
    const exporterOptions = {
      headers,
      timeoutMillis: Math.max(settings.interval, 1000),
      concurrencyLimit: 4,
    };
    const MetricExporter = metricsJson ? OTLPMetricExporterJson : OTLPMetricExporterProto;
    const TraceExporter = tracesJson ? OTLPTraceExporterJson : OTLPTraceExporterProto;
    if (settings.metrics)
      metricExporters.push(
        reportingMetricExporter(new MetricExporter({ ...exporterOptions, url: metricsUrl }), base),
      );
    if (settings.traces)
      spanProcessors.push(
        batch(
          reportingSpanExporter(new TraceExporter({ ...exporterOptions, url: tracesUrl }), base),
          settings.interval,
        ),
      );
  }
  if (options.metricExporter) metricExporters.push(options.metricExporter);
  if (options.spanExporter) spanProcessors.push(batch(options.spanExporter, settings.interval));
  const readers: IMetricReader[] = metricExporters.map(
    (exporter) =>
      new PeriodicExportingMetricReader({
        exporter,
        exportIntervalMillis: settings.interval,
        exportTimeoutMillis: Math.min(settings.interval, 30_000),
      }),
  );

  // The in-flight peaks a reader sees are the highest since *its* last read, so each reader past
  // the first gets a meter provider of its own (same resource and views): a Prometheus scrape
  // then never resets the peaks the OTLP export is about to read.
  const [primary, ...others] = readers;
  const extra: MeterProvider[] = others.map(
    (reader) => new MeterProvider({ resource, views, readers: [reader] }),
  );
  let prometheus: PrometheusServer | undefined;
  if (options.prometheus) {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    extra.push(new MeterProvider({ resource, views, readers: [exporter] }));
    prometheus = servePrometheus(exporter, options.prometheus);
  }
  const unbindExtra = extra.map((provider) => instrumentation.bindMeterProvider(provider));

  // The API registers a global once; an app's own providers stay, and Headroom's are then its own.
  const appHasGlobals =
    isRegistered(trace.getTracerProvider()) || isRegistered(metrics.getMeterProvider());
  if (options.registerGlobals === true && appHasGlobals) {
    reportFault(
      'register globals',
      new Error('the app already registered OpenTelemetry providers; Headroom keeps its own apart'),
    );
  }
  const register = options.registerGlobals !== false && !appHasGlobals;
  const core = register
    ? startNodeSdk(resource, views, spanProcessors, primary, instrumentation)
    : unregisteredProviders(resource, views, spanProcessors, primary, instrumentation);
  const flushExtra = () => Promise.all(extra.map((provider) => provider.forceFlush()));
  return {
    prometheusUrl: prometheus?.url ?? Promise.resolve(undefined),
    forceFlush: async () => {
      await Promise.all([core.forceFlush(), flushExtra()]);
    },
    shutdown: async () => {
      // Shutting the providers down makes the final export, which still reads the series.
      await Promise.allSettled([
        core.shutdown(),
        ...extra.map((provider) => provider.shutdown()),
        prometheus?.close(),
      ]);
      for (const unbind of unbindExtra) unbind();
      instrumentation.unbind();
    },
  };
}

interface Providers {
  forceFlush(): Promise<unknown>;
  shutdown(): Promise<unknown>;
}

/**
 * `NodeSDK` registers the providers, the context manager and the propagators as the globals, and
 * hands its providers to the instrumentation. Two things Headroom needs that it does not do are
 * done around it: flushing (it has no `forceFlush`: the registered providers are flushed), and
 * handing the globals back at shutdown (it shuts its providers down but leaves them registered,
 * so the app could never register others; Headroom disables the globals it caused to be set).
 */
function startNodeSdk(
  resource: Resource,
  views: ViewOptions[],
  spanProcessors: SpanProcessor[],
  reader: IMetricReader | undefined,
  instrumentation: PipelineInstrumentation,
): Providers {
  const contextWasSet = hasContextManager();
  const propagatorWasSet = propagation.fields().length > 0;
  const loggerWasSet = logs.getLoggerProvider().constructor.name !== 'ProxyLoggerProvider';
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    spanProcessors,
    metricReaders: reader === undefined ? [] : [reader],
    views,
    // Headroom sends no logs; without this, NodeSDK would build an OTLP log exporter.
    logRecordProcessors: [],
    // An app's own context manager stays (null: NodeSDK leaves it alone).
    ...(contextWasSet ? { contextManager: null as never } : {}),
    instrumentations: [instrumentation],
  });
  sdk.start();
  const tracerProvider = delegateOf(trace.getTracerProvider());
  const meterProvider = metrics.getMeterProvider();
  const ours = {
    tracer: isRegistered(tracerProvider) ? (tracerProvider as ApiTracerProvider) : undefined,
    meter: isRegistered(meterProvider) ? meterProvider : undefined,
  };
  // NodeSDK handed the instrumentation the global proxy (it registers instrumentations before
  // its providers); the provider it registered itself saves a delegate lookup per span.
  if (ours.tracer !== undefined) instrumentation.setTracerProvider(ours.tracer);
  return {
    forceFlush: () => Promise.all([flushOf(ours.tracer), flushOf(ours.meter)]),
    shutdown: async () => {
      await sdk.shutdown();
      if (ours.tracer !== undefined && delegateOf(trace.getTracerProvider()) === ours.tracer)
        trace.disable();
      if (ours.meter !== undefined && metrics.getMeterProvider() === ours.meter) metrics.disable();
      if (!propagatorWasSet) propagation.disable();
      if (!contextWasSet) context.disable();
      if (!loggerWasSet) logs.disable();
    },
  };
}

/** The same providers as `startNodeSdk`, registered nowhere: only Headroom records into them. */
function unregisteredProviders(
  resource: Resource,
  views: ViewOptions[],
  spanProcessors: SpanProcessor[],
  reader: IMetricReader | undefined,
  instrumentation: PipelineInstrumentation,
): Providers {
  // Tracer providers read OTEL_TRACES_SAMPLER and the span limits from the environment.
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors });
  const meterProvider = new MeterProvider({
    resource,
    views,
    readers: reader === undefined ? [] : [reader],
  });
  instrumentation.setTracerProvider(tracerProvider);
  instrumentation.setMeterProvider(meterProvider);
  const releaseContext = ensureContextManager();
  return {
    forceFlush: () => Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]),
    shutdown: async () => {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      releaseContext();
    },
  };
}

interface ExportSettings {
  interval: number;
  traces: boolean;
  metrics: boolean;
  collector?: {
    base: string;
    metricsUrl: string;
    tracesUrl: string;
    metricsJson: boolean;
    tracesJson: boolean;
    headers: Record<string, string>;
  };
}

/**
 * Where and how often to export. Precedence, highest first: the option in code, `HEADROOM_*`,
 * the standard `OTEL_*` variable, Headroom's default.
 */
function exportSettings(options: HeadroomOptions): ExportSettings {
  const env = process.env;
  const interval =
    options.exportIntervalMillis ??
    numberFromEnv('HEADROOM_EXPORT_INTERVAL_MS') ??
    numberFromEnv('OTEL_METRIC_EXPORT_INTERVAL') ??
    500;
  if (!(Number.isFinite(interval) && interval >= 1)) {
    throw new TypeError(
      // A string is quoted: `got 500` for '500' would read as if the value were fine.
      `Expected \`exportIntervalMillis\` to be a number from 1 and up, got ${describe(interval)}`,
    );
  }
  const traces = !listFromEnv('OTEL_TRACES_EXPORTER').includes('none');
  const metricsOn = !listFromEnv('OTEL_METRICS_EXPORTER').includes('none');
  const collectorUrl =
    options.collectorUrl ??
    env.HEADROOM_COLLECTOR_URL ??
    env.OTEL_EXPORTER_OTLP_ENDPOINT ??
    'http://127.0.0.1:4800';
  if (collectorUrl === false || collectorUrl === '')
    return { interval, traces, metrics: metricsOn };
  const base = collectorUrl.replace(/\/+$/, '');
  // Per-signal endpoints are whole URLs (OTLP exporter spec); code and HEADROOM_COLLECTOR_URL win.
  const named = options.collectorUrl !== undefined || env.HEADROOM_COLLECTOR_URL !== undefined;
  const metricsUrl = (!named && env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) || `${base}/v1/metrics`;
  const tracesUrl = (!named && env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) || `${base}/v1/traces`;
  const token = options.token ?? env.HEADROOM_TOKEN;
  // OTEL_EXPORTER_OTLP_HEADERS (and the per-signal ones) are read by the exporters themselves and
  // merged under these.
  const headers = { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  return {
    interval,
    traces,
    metrics: metricsOn,
    collector: {
      base,
      metricsUrl,
      tracesUrl,
      metricsJson: protocolOf(options, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL') === 'http/json',
      tracesJson: protocolOf(options, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') === 'http/json',
      headers,
    },
  };
}

/** A signal's encoding: the option, else its per-signal variable, else the general one. */
function protocolOf(
  options: HeadroomOptions,
  signalVariable: string,
): 'http/protobuf' | 'http/json' {
  if (options.protocol !== undefined) return options.protocol;
  const text = (
    process.env[signalVariable] ??
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL ??
    ''
  ).trim();
  if (text === '' || text === 'http/protobuf') return 'http/protobuf';
  if (text === 'http/json') return 'http/json';
  reportFault(
    signalVariable in process.env ? signalVariable : 'OTEL_EXPORTER_OTLP_PROTOCOL',
    new Error(`${JSON.stringify(text)} is not supported by the collector; using http/protobuf`),
  );
  return 'http/protobuf';
}

function buildResource(options: HeadroomOptions): Resource {
  const env = process.env;
  // A `service.instance.id` of OTEL_RESOURCE_ATTRIBUTES is the app's own: kept, not replaced.
  // Read from the environment's resource alone: the host detector's attributes settle later,
  // and reading them before they do is an error in the diag log.
  const fromEnvironment = detectResources({ detectors: [envDetector] }).attributes[
    'service.instance.id'
  ];
  const instanceId =
    options.serviceInstanceId ??
    env.HEADROOM_INSTANCE_ID ??
    (typeof fromEnvironment === 'string' ? fromEnvironment : undefined) ??
    randomUUID();
  return defaultResource()
    .merge(detectResources({ detectors: [envDetector, processDetector, hostDetector] }))
    .merge(
      resourceFromAttributes(
        withoutUndefined({
          'service.name': options.serviceName ?? env.OTEL_SERVICE_NAME,
          'service.instance.id': instanceId,
        }),
      ),
    );
}

function batch(
  exporter: ConstructorParameters<typeof BatchSpanProcessor>[0],
  interval: number,
): SpanProcessor {
  // Bounded: at most 2,048 spans wait when the collector is down; the rest are dropped.
  return new BatchSpanProcessor(exporter, {
    scheduledDelayMillis: interval,
    maxQueueSize: 2048,
    maxExportBatchSize: 512,
  });
}

/**
 * Graph nodes, tenants and wrappers pass their scope down through the OTel context, so one
 * context manager must exist: the app's, or else an AsyncLocalStorage one of ours.
 */
function ensureContextManager(): () => void {
  if (hasContextManager()) return () => {};
  const registered = context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
  return () => {
    if (registered) context.disable();
  };
}

function hasContextManager(): boolean {
  const current = (
    context as unknown as { _getContextManager?: () => object }
  )._getContextManager?.();
  return current !== undefined && !/^Noop/.test(current.constructor.name);
}

function delegateOf(provider: object): object {
  // The API answers with a proxy (traces) until something is registered.
  return (provider as { getDelegate?: () => object }).getDelegate?.() ?? provider;
}

function isRegistered(provider: object): boolean {
  return !/^Noop/.test(delegateOf(provider).constructor.name);
}

async function flushOf(provider: unknown): Promise<void> {
  const target = provider === undefined ? undefined : delegateOf(provider as object);
  const flush = (target as { forceFlush?: () => Promise<void> } | undefined)?.forceFlush;
  if (typeof flush === 'function') await flush.call(target);
}

function numberFromEnv(name: string): number | undefined {
  const text = process.env[name];
  return text === undefined || text === '' ? undefined : Number(text);
}

function listFromEnv(name: string): string[] {
  return (process.env[name] ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
}

function withoutUndefined(attributes: Record<string, string | undefined>): Attributes {
  return Object.fromEntries(
    Object.entries(attributes).filter(([, value]) => value !== undefined),
  ) as Attributes;
}
