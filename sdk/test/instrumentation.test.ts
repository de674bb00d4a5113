// HeadroomInstrumentation inside the app's own OpenTelemetry pipeline: NodeSDK and
// registerInstrumentations, with the app's in-memory exporters. Whatever the app's sampler,
// span limits, resource and Views, Headroom's figures must still equal the provider's count.
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  createAllowListAttributesProcessor,
  type DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { HeadroomInstrumentation } from '../src/index.js';
import { resources, stats } from './mock.js';

const open = resources();
afterEach(async () => {
  await open.close();
  // Each test registers its own globals.
  trace.disable();
  metrics.disable();
  context.disable();
  propagation.disable();
});

const MODEL = 'gpt-4o-mini';
const messages = [{ role: 'user' as const, content: 'Hello there' }];

/** The app's own pipeline: in-memory exporters, a reader that exports only when flushed. */
function appExporters() {
  const spans = new InMemorySpanExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  return { spans, metricExporter, reader };
}

/** The last export's points of `name`, by attribute set. */
function lastPoints(exporter: InMemoryMetricExporter, name: string) {
  const exports = exporter.getMetrics();
  const last = exports.at(-1);
  const found: Array<{ attributes: Record<string, unknown>; value: any; type: DataPointType }> = [];
  for (const scope of last?.scopeMetrics ?? []) {
    for (const metric of scope.metrics as MetricData[]) {
      if (metric.descriptor.name !== name) continue;
      for (const point of metric.dataPoints)
        found.push({
          attributes: point.attributes,
          value: point.value,
          type: metric.dataPointType,
        });
    }
  }
  return found;
}

function total(exporter: InMemoryMetricExporter, name: string, match: Record<string, unknown>) {
  return lastPoints(exporter, name)
    .filter((point) =>
      Object.entries(match).every(([key, value]) => point.attributes[key] === value),
    )
    .reduce(
      (sum, point) => sum + (typeof point.value === 'number' ? point.value : point.value.count),
      0,
    );
}

/** Six calls at once on a key allowed two in flight, no retries: some succeed, some get 429. */
async function fanOut(client: OpenAI) {
  const results = await Promise.allSettled(
    Array.from({ length: 6 }, () => client.chat.completions.create({ model: MODEL, messages })),
  );
  return {
    ok: results.filter((result) => result.status === 'fulfilled').length,
    refused: results.filter(
      (result) =>
        result.status === 'rejected' && (result.reason as { status?: number }).status === 429,
    ).length,
  };
}

describe('new NodeSDK({ instrumentations: [new HeadroomInstrumentation()] })', () => {
  it("records with the app's providers: its resource, its span limits; counts equal the provider's", async () => {
    const mock = await open.mock({
      defaultLimits: { concurrency: 2 },
      latency: { fixedMs: 30 },
    });
    const { spans, metricExporter, reader } = appExporters();
    const instrumentation = new HeadroomInstrumentation({ enabled: false });
    const sdk = new NodeSDK({
      resource: resourceFromAttributes({
        'service.name': 'the-app',
        'deployment.environment': 'test',
      }),
      autoDetectResources: false,
      spanProcessors: [new SimpleSpanProcessor(spans)],
      spanLimits: { attributeCountLimit: 4 },
      metricReaders: [reader],
      logRecordProcessors: [],
      instrumentations: [instrumentation],
    });
    sdk.start();
    open.add(() => sdk.shutdown());
    const client = instrumentation.headroom.instrument(
      new OpenAI({ apiKey: 'sk-app', baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    const outcome = await fanOut(client);
    await reader.forceFlush();
    const truth = await stats(mock);
    expect(outcome.refused).toBeGreaterThan(0);
    expect(truth.totals.rateLimited).toBe(outcome.refused);

    const provider = { 'gen_ai.provider.name': 'openai' };
    expect(total(metricExporter, 'headroom.requests', provider)).toBe(truth.totals.requests);
    expect(
      total(metricExporter, 'headroom.requests', {
        ...provider,
        'headroom.outcome': 'rate_limited',
      }),
    ).toBe(truth.totals.rateLimited);
    expect(total(metricExporter, 'headroom.tokens', provider)).toBe(truth.totals.tokens.total);
    expect(total(metricExporter, 'gen_ai.client.operation.duration', provider)).toBe(6);
    expect(total(metricExporter, 'headroom.calls.active', provider)).toBe(0);
    const last = metricExporter.getMetrics().at(-1)!;
    expect(last.resource.attributes['service.name']).toBe('the-app');
    expect(last.resource.attributes['deployment.environment']).toBe('test');

    const finished = spans.getFinishedSpans();
    const callSpans = finished.filter((span) => span.name === `chat ${MODEL}`);
    expect(callSpans).toHaveLength(6);
    for (const span of finished) {
      expect(span.resource.attributes['service.name']).toBe('the-app');
      expect(span.instrumentationScope.name).toBe('@headroom/sdk');
      // The app's span limit: at most four attributes, the rest dropped and counted.
      expect(Object.keys(span.attributes).length).toBeLessThanOrEqual(4);
    }
    expect(callSpans.every((span) => span.droppedAttributesCount > 0)).toBe(true);
  });

  it('a sampler that drops every span: no spans, and RPM, 429s, tokens and the in-flight peak stay exact', async () => {
    const mock = await open.mock({ defaultLimits: { concurrency: 2 }, latency: { fixedMs: 30 } });
    const { spans, metricExporter, reader } = appExporters();
    const instrumentation = new HeadroomInstrumentation({ enabled: false });
    const sdk = new NodeSDK({
      autoDetectResources: false,
      sampler: new AlwaysOffSampler(),
      spanProcessors: [new SimpleSpanProcessor(spans)],
      metricReaders: [reader],
      logRecordProcessors: [],
      instrumentations: [instrumentation],
    });
    sdk.start();
    open.add(() => sdk.shutdown());
    const client = instrumentation.headroom.instrument(
      new OpenAI({ apiKey: 'sk-app', baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    const outcome = await fanOut(client);
    await reader.forceFlush();
    const truth = await stats(mock);

    expect(spans.getFinishedSpans()).toEqual([]);
    const provider = { 'gen_ai.provider.name': 'openai' };
    expect(total(metricExporter, 'headroom.requests', provider)).toBe(truth.totals.requests);
    expect(total(metricExporter, 'headroom.calls', { ...provider, 'headroom.outcome': 'ok' })).toBe(
      outcome.ok,
    );
    expect(
      total(metricExporter, 'headroom.calls', { ...provider, 'headroom.outcome': 'rate_limited' }),
    ).toBe(truth.totals.rateLimited);
    expect(total(metricExporter, 'headroom.tokens', provider)).toBe(truth.totals.tokens.total);
    // All six were in flight at once on the client's side, whatever the provider let through.
    expect(total(metricExporter, 'headroom.key.calls.active.max', provider)).toBe(6);
  });

  it("the app's Views apply to Headroom's instruments: renamed, attributes filtered, dropped", async () => {
    const mock = await open.mock();
    const { metricExporter, reader } = appExporters();
    const instrumentation = new HeadroomInstrumentation({ enabled: false });
    const sdk = new NodeSDK({
      autoDetectResources: false,
      spanProcessors: [],
      metricReaders: [reader],
      views: [
        { instrumentName: 'headroom.requests', name: 'app.llm.requests' },
        {
          instrumentName: 'headroom.tokens',
          // Keep only the token type: the key and the model are folded together.
          attributesProcessors: [createAllowListAttributesProcessor(['gen_ai.token.type'])],
        },
        {
          instrumentName: 'gen_ai.client.token.usage',
          aggregation: { type: AggregationType.DROP },
        },
      ],
      logRecordProcessors: [],
      instrumentations: [instrumentation],
    });
    sdk.start();
    open.add(() => sdk.shutdown());
    const client = instrumentation.headroom.instrument(
      new OpenAI({ apiKey: 'sk-app', baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    for (let index = 0; index < 3; index++)
      await client.chat.completions.create({ model: MODEL, messages });
    await reader.forceFlush();
    const truth = await stats(mock);

    expect(lastPoints(metricExporter, 'headroom.requests')).toEqual([]);
    expect(total(metricExporter, 'app.llm.requests', { 'headroom.outcome': 'ok' })).toBe(3);
    const tokens = lastPoints(metricExporter, 'headroom.tokens');
    expect(
      tokens
        .map((point) => point.attributes)
        .sort((a, b) =>
          String(a['gen_ai.token.type']).localeCompare(String(b['gen_ai.token.type'])),
        ),
    ).toEqual([{ 'gen_ai.token.type': 'input' }, { 'gen_ai.token.type': 'output' }]);
    expect(tokens.reduce((sum, point) => sum + point.value, 0)).toBe(truth.totals.tokens.total);
    expect(lastPoints(metricExporter, 'gen_ai.client.token.usage')).toEqual([]);
    expect(total(metricExporter, 'gen_ai.client.operation.duration', {})).toBe(3);
  });
});

describe('registerInstrumentations({ instrumentations: [new HeadroomInstrumentation()] })', () => {
  it('records into the providers it is given, and stops when disabled', async () => {
    const mock = await open.mock();
    const { spans, metricExporter, reader } = appExporters();
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(spans)],
    });
    const meterProvider = new MeterProvider({ readers: [reader] });
    open.add(() => Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]));
    const instrumentation = new HeadroomInstrumentation({ enabled: false });
    const unregister = registerInstrumentations({
      instrumentations: [instrumentation],
      tracerProvider,
      meterProvider,
    });
    const client = instrumentation.headroom.instrument(
      new OpenAI({ apiKey: 'sk-app', baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    await client.chat.completions.create({ model: MODEL, messages });
    await client.chat.completions.create({ model: MODEL, messages });
    await reader.forceFlush();
    expect(total(metricExporter, 'headroom.requests', {})).toBe(2);
    expect(
      spans
        .getFinishedSpans()
        .map((span) => span.name)
        .sort(),
    ).toEqual([`chat ${MODEL}`, `chat ${MODEL}`]);
    unregister();
  });
});
