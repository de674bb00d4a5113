import { randomUUID } from 'node:crypto';
import {
  type Attributes,
  context,
  type Meter,
  metrics,
  propagation,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPMetricExporter as OTLPMetricExporterJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPMetricExporterProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter as OTLPTraceExporterJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type IMetricReader,
  InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { HeadroomOptions } from '../types.js';
import { VERSION } from '../version.js';
import { describe } from './describe.js';
import { BucketHistogram, type Recorder } from './histogram.js';
import { BOUNDARIES, INSTRUMENTS } from './instruments.js';
import { LeanTracer } from './lean-tracer.js';
import { HeadroomMetricProducer, type RegisteredHistogram } from './metric-producer.js';
import { registerObservableMetrics } from './observable-metrics.js';
import { type PrometheusServer, servePrometheus } from './prometheus-server.js';
import { reportingMetricExporter, reportingSpanExporter } from './reporting-exporter.js';
import { SERIES_LIMIT, SeriesStore } from './series.js';

export const SCOPE = { name: '@headroom/sdk', version: VERSION };

export interface Pipeline {
  tracer: Tracer;
  store: SeriesStore;
  /** Where Prometheus text is served, when it is. */
  prometheusUrl: Promise<string | undefined>;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Builds where telemetry goes. With the app's own providers, Headroom only records into them.
 * Otherwise it builds the same pipeline `@opentelemetry/sdk-node` builds (a tracer provider with a
 * batch span processor, a meter provider with periodic readers, an AsyncLocalStorage context
 * manager) from the same packages, keeping hold of the providers so that `shutdown` can flush and
 * release them.
 */
export function buildPipeline(options: HeadroomOptions): Pipeline {
  if (options.tracerProvider || options.meterProvider) return userPipeline(options);
  return ownPipeline(options);
}

function userPipeline(options: HeadroomOptions): Pipeline {
  const tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(
    SCOPE.name,
    SCOPE.version,
  );
  const histograms = new Map<string, ReturnType<Meter['createHistogram']>>();
  const store = new SeriesStore(1, (name, attributes): Recorder => {
    let histogram = histograms.get(name);
    if (histogram === undefined) {
      histogram = meter.createHistogram(name, {
        ...INSTRUMENTS[name]!,
        advice: { explicitBucketBoundaries: [...BOUNDARIES[name]!] },
      });
      histograms.set(name, histogram);
    }
    const bound = histogram;
    return { record: (value) => bound.record(value, attributes) };
  });
  const unregister = registerObservableMetrics(meter, store, true);
  const releaseContext = ensureContextManager();
  return {
    tracer: tracerProvider.getTracer(SCOPE.name, SCOPE.version),
    store,
    prometheusUrl: Promise.resolve(undefined),
    forceFlush: async () => {
      await Promise.all([flushOf(options.tracerProvider), flushOf(options.meterProvider)]);
    },
    shutdown: async () => {
      // The app's providers are the app's to shut down; flush what Headroom recorded into them.
      await Promise.allSettled([flushOf(options.tracerProvider), flushOf(options.meterProvider)]);
      unregister();
      releaseContext();
    },
  };
}

function ownPipeline(options: HeadroomOptions): Pipeline {
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
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector, hostDetector] }))
    .merge(
      resourceFromAttributes(
        withoutUndefined({
          'service.name': options.serviceName ?? env.OTEL_SERVICE_NAME,
          'service.instance.id': instanceId,
        }),
      ),
    );

  const metricExporters: PushMetricExporter[] = [];
  const spanProcessors: SpanProcessor[] = [];
  const collectorUrl =
    options.collectorUrl ??
    env.HEADROOM_COLLECTOR_URL ??
    env.OTEL_EXPORTER_OTLP_ENDPOINT ??
    'http://127.0.0.1:4800';
  if (collectorUrl !== false && collectorUrl !== '') {
    const base = collectorUrl.replace(/\/+$/, '');
    // Per-signal endpoints are whole URLs (OTLP exporter spec); code and HEADROOM_COLLECTOR_URL win.
    const named = options.collectorUrl !== undefined || env.HEADROOM_COLLECTOR_URL !== undefined;
    const metricsUrl = (!named && env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) || `${base}/v1/metrics`;
    const tracesUrl = (!named && env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) || `${base}/v1/traces`;
    const token = options.token ?? env.HEADROOM_TOKEN;
    const headers = { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const json = (options.protocol ?? env.OTEL_EXPORTER_OTLP_PROTOCOL) === 'http/json';
    // Each export may take at most the interval, so a slow collector never piles exports up.
    const exporterOptions = {
      headers,
      timeoutMillis: Math.max(interval, 1000),
      concurrencyLimit: 4,
    };
    const MetricExporter = json ? OTLPMetricExporterJson : OTLPMetricExporterProto;
    const TraceExporter = json ? OTLPTraceExporterJson : OTLPTraceExporterProto;
    metricExporters.push(
      reportingMetricExporter(new MetricExporter({ ...exporterOptions, url: metricsUrl }), base),
    );
    spanProcessors.push(
      batch(
        reportingSpanExporter(new TraceExporter({ ...exporterOptions, url: tracesUrl }), base),
        interval,
      ),
    );
  }
  if (options.metricExporter) metricExporters.push(options.metricExporter);
  if (options.spanExporter) spanProcessors.push(batch(options.spanExporter, interval));

  const histograms: RegisteredHistogram[] = [];
  const slots = metricExporters.length + (options.prometheus ? 1 : 0);
  const store = new SeriesStore(slots, (name, attributes) => {
    const histogram = new BucketHistogram(BOUNDARIES[name]!, slots);
    histograms.push({ name, attributes, histogram });
    return histogram;
  });
  const producer = (slot: number, temporality: AggregationTemporality) =>
    new HeadroomMetricProducer(store, histograms, resource, slot, temporality, SCOPE);
  const readers: IMetricReader[] = metricExporters.map(
    (exporter, slot) =>
      new PeriodicExportingMetricReader({
        exporter,
        exportIntervalMillis: interval,
        exportTimeoutMillis: Math.min(interval, 30_000),
        metricProducers: [producer(slot, temporalityOf(exporter))],
      }),
  );
  let prometheus: PrometheusServer | undefined;
  if (options.prometheus) {
    const exporter = new PrometheusExporter({
      preventServerStart: true,
      metricProducers: [producer(metricExporters.length, AggregationTemporality.CUMULATIVE)],
    });
    readers.push(exporter);
    prometheus = servePrometheus(exporter, options.prometheus);
  }
  const meterProvider = new MeterProvider({
    resource,
    readers,
    // The store folds series past SERIES_LIMIT itself; the SDK's own limit (2,000 attribute sets
    // per instrument) must sit above the most any instrument can then have: four
    // `headroom.ratelimit.dimension` values per series.
    views: [{ meterName: SCOPE.name, aggregationCardinalityLimit: 4 * (SERIES_LIMIT + 1) }],
  });
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors });
  const unregister = registerObservableMetrics(
    meterProvider.getMeter(SCOPE.name, SCOPE.version),
    store,
    false,
  );
  const release = registerGlobals(options, tracerProvider, meterProvider);
  return {
    tracer: new LeanTracer(spanProcessors, resource, SCOPE),
    store,
    prometheusUrl: prometheus?.url ?? Promise.resolve(undefined),
    forceFlush: async () => {
      await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
    },
    shutdown: async () => {
      // Shutting the providers down makes the final export, which still reads the series.
      await Promise.allSettled([
        tracerProvider.shutdown(),
        meterProvider.shutdown(),
        prometheus?.close(),
      ]);
      unregister();
      release();
    },
  };
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

function temporalityOf(exporter: PushMetricExporter): AggregationTemporality {
  return (
    exporter.selectAggregationTemporality?.(InstrumentType.HISTOGRAM) ??
    AggregationTemporality.CUMULATIVE
  );
}

/** Registers our providers as the globals when the app has none; returns how to undo it. */
function registerGlobals(
  options: HeadroomOptions,
  tracerProvider: BasicTracerProvider,
  meterProvider: MeterProvider,
) {
  const hasGlobals =
    isRegistered(trace.getTracerProvider()) || isRegistered(metrics.getMeterProvider());
  const releaseContext = ensureContextManager();
  if (options.registerGlobals === false || (options.registerGlobals === undefined && hasGlobals))
    return releaseContext;
  const traceSet = trace.setGlobalTracerProvider(tracerProvider);
  const metricsSet = metrics.setGlobalMeterProvider(meterProvider);
  const propagatorSet = propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  return () => {
    if (traceSet) trace.disable();
    if (metricsSet) metrics.disable();
    if (propagatorSet) propagation.disable();
    releaseContext();
  };
}

/**
 * Graph nodes, tenants and wrappers pass their scope down through the OTel context, so one
 * context manager must exist: the app's, or else an AsyncLocalStorage one of ours.
 */
function ensureContextManager(): () => void {
  const current = (
    context as unknown as { _getContextManager?: () => object }
  )._getContextManager?.();
  if (current !== undefined && !/^Noop/.test(current.constructor.name)) return () => {};
  const registered = context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
  return () => {
    if (registered) context.disable();
  };
}

function isRegistered(provider: object): boolean {
  // The API answers with a proxy (traces) or a no-op (metrics) until something is registered.
  const delegate = (provider as { getDelegate?: () => object }).getDelegate?.() ?? provider;
  return !/^Noop/.test(delegate.constructor.name);
}

async function flushOf(provider: unknown): Promise<void> {
  const flush = (provider as { forceFlush?: () => Promise<void> } | undefined)?.forceFlush;
  if (typeof flush === 'function') await flush.call(provider);
}

function numberFromEnv(name: string): number | undefined {
  const text = process.env[name];
  return text === undefined || text === '' ? undefined : Number(text);
}

function withoutUndefined(attributes: Record<string, string | undefined>): Attributes {
  return Object.fromEntries(
    Object.entries(attributes).filter(([, value]) => value !== undefined),
  ) as Attributes;
}
