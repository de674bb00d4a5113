/**
 * Test-only helpers (excluded from the build): real OpenTelemetry SDK data, what the decoders
 * should make of it computed straight from the SDK objects, and a tiny protobuf encoder for
 * hand-made bodies.
 */
import {
  ROOT_CONTEXT,
  type Attributes as SdkAttributes,
  SpanKind,
  SpanStatusCode,
  trace,
  ValueType,
} from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics as SdkResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type {
  Attributes,
  AttributeValue,
  Metric,
  MetricsRequest,
  ResourceSpans,
  Span,
  SpanKindName,
  TracesRequest,
} from './types.js';

class ManualReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

const RESOURCE = {
  'service.name': 'checkout',
  'service.instance.id': 'replica-7',
  'host.cpu.count': 2,
};

/**
 * Attributes of every AnyValue type. Metric attributes are not sanitized by the SDK, so the
 * nested list and bytes reach the serializer as they would from an OpenTelemetry Collector.
 */
export const EVERY_TYPE = {
  'gen_ai.provider.name': 'openai',
  'headroom.attempts': 3,
  'negative.int': -42,
  'large.int': 2 ** 40,
  ratio: 0.25,
  retried: true,
  finish_reasons: ['stop', 'length'],
  codes: [429, 529],
  flags: [true, false],
  nested: { region: 'eu', limits: { rpm: 500, tiers: ['a', 'b'] } },
  bytes: new Uint8Array([0, 1, 254, 255]),
} as unknown as SdkAttributes;

/** A collection from a real MeterProvider: every instrument kind Headroom's SDK uses. */
export async function sdkMetrics(temporality: AggregationTemporality): Promise<SdkResourceMetrics> {
  const reader = new ManualReader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({
    resource: resourceFromAttributes(RESOURCE),
    readers: [reader],
  });
  const meter = provider.getMeter('@headroom/sdk', '0.1.0');
  const calls = meter.createCounter('headroom.calls', {
    unit: '{call}',
    description: 'Logical calls',
  });
  calls.add(3, { ...EVERY_TYPE, 'headroom.outcome': 'ok' });
  calls.add(1, { 'headroom.outcome': 'rate_limited' });
  const tokens = meter.createCounter('headroom.tokens', {
    unit: '{token}',
    valueType: ValueType.INT,
  });
  tokens.add(1234567, { 'gen_ai.token.type': 'input' });
  const active = meter.createUpDownCounter('headroom.calls.active', { unit: '{call}' });
  active.add(5);
  active.add(-7.5);
  const remaining = meter.createGauge('headroom.ratelimit.remaining', {
    unit: '1',
    valueType: ValueType.INT,
  });
  remaining.record(-3, { 'headroom.ratelimit.dimension': 'requests' });
  const ratio = meter.createGauge('headroom.ratio');
  ratio.record(0.125);
  const duration = meter.createHistogram('gen_ai.client.operation.duration', {
    unit: 's',
    description: 'Model call duration',
    advice: { explicitBucketBoundaries: [0.01, 0.1, 1, 10] },
  });
  duration.record(0.05, EVERY_TYPE);
  duration.record(2.5, EVERY_TYPE);
  duration.record(0.5, EVERY_TYPE);
  duration.record(11, { 'error.type': '429' });
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw errors[0];
  await provider.shutdown();
  return resourceMetrics;
}

/** What the decoders must produce for `sdk`, computed from the SDK's own objects. */
export function expectedMetrics(sdk: SdkResourceMetrics): MetricsRequest {
  return {
    resourceMetrics: [
      {
        resource: attributesOf(sdk.resource.attributes),
        scopes: sdk.scopeMetrics.map((scopeMetrics) => ({
          scope: scopeOf(scopeMetrics.scope),
          metrics: scopeMetrics.metrics.map((data): Metric => {
            const { name, unit, description } = data.descriptor;
            const temporality =
              data.aggregationTemporality === AggregationTemporality.DELTA ? 'delta' : 'cumulative';
            if (data.dataPointType === DataPointType.HISTOGRAM) {
              return {
                name,
                unit,
                description,
                kind: 'histogram',
                temporality,
                points: data.dataPoints.map((point) => ({
                  attributes: attributesOf(point.attributes),
                  startTime: milliseconds(point.startTime),
                  time: milliseconds(point.endTime),
                  count: point.value.count,
                  sum: point.value.sum,
                  min: point.value.min,
                  max: point.value.max,
                  bucketCounts: point.value.buckets.counts,
                  explicitBounds: point.value.buckets.boundaries,
                })),
              };
            }
            if (
              data.dataPointType !== DataPointType.SUM &&
              data.dataPointType !== DataPointType.GAUGE
            ) {
              throw new Error(`unexpected ${data.dataPointType}`);
            }
            const points = data.dataPoints.map((point) => ({
              attributes: attributesOf(point.attributes),
              startTime: milliseconds(point.startTime),
              time: milliseconds(point.endTime),
              value: point.value,
            }));
            if (data.dataPointType === DataPointType.GAUGE) {
              return { name, unit, description, kind: 'gauge', points };
            }
            return {
              name,
              unit,
              description,
              kind: 'sum',
              temporality,
              monotonic: data.isMonotonic,
              points,
            };
          }),
        })),
      },
    ],
  };
}

/** Finished spans from a real tracer: a graph run, its node, a call with two HTTP attempts. */
export async function sdkSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('@headroom/sdk', '0.1.0');
  const run = tracer.startSpan('invoke_agent support', {
    kind: SpanKind.INTERNAL,
    attributes: { 'headroom.graph.name': 'support', 'headroom.graph.run.steps': 4 },
  });
  const node = tracer.startSpan(
    'node plan',
    { kind: SpanKind.INTERNAL },
    trace.setSpan(ROOT_CONTEXT, run),
  );
  const call = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.provider.name': 'openai',
        'gen_ai.usage.input_tokens': 812,
        'gen_ai.response.finish_reasons': ['stop'],
        'headroom.cost': 0.0031,
        'headroom.retried': true,
      },
    },
    trace.setSpan(ROOT_CONTEXT, node),
  );
  for (const [attempt, status] of [
    [0, 429],
    [1, 200],
  ] as const) {
    const http = tracer.startSpan(
      'POST',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'http.response.status_code': status, 'http.request.resend_count': attempt },
      },
      trace.setSpan(ROOT_CONTEXT, call),
    );
    http.addEvent('retry', { attempt });
    if (status === 429)
      http.setStatus({ code: SpanStatusCode.ERROR, message: 'Too Many Requests' });
    http.end();
  }
  call.setStatus({ code: SpanStatusCode.OK });
  call.end();
  node.end();
  run.end();
  for (const kind of [SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
    tracer.startSpan(`kind ${kind}`, { kind }).end();
  }
  provider.getTracer('other-scope').startSpan('unscoped').end();
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

const KINDS: SpanKindName[] = ['internal', 'server', 'client', 'producer', 'consumer'];
const CODES: Span['status']['code'][] = ['unset', 'ok', 'error'];

/** What the decoders must produce for `spans`, grouped per scope as the serializers do. */
export function expectedTraces(spans: ReadableSpan[]): TracesRequest {
  const scopes = new Map<string, ResourceSpans['scopes'][number]>();
  for (const span of spans) {
    const key = `${span.instrumentationScope.name}@${span.instrumentationScope.version ?? ''}`;
    let scope = scopes.get(key);
    if (scope === undefined) {
      scope = { scope: scopeOf(span.instrumentationScope), spans: [] };
      scopes.set(key, scope);
    }
    const expected: Span = {
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      name: span.name,
      kind: KINDS[span.kind]!,
      startTime: milliseconds(span.startTime),
      endTime: milliseconds(span.endTime),
      attributes: attributesOf(span.attributes),
      status:
        span.status.message === undefined
          ? { code: CODES[span.status.code]! }
          : { code: CODES[span.status.code]!, message: span.status.message },
    };
    if (span.parentSpanContext?.spanId) expected.parentSpanId = span.parentSpanContext.spanId;
    scope.spans.push(expected);
  }
  return {
    resourceSpans: [
      { resource: attributesOf(spans[0]!.resource.attributes), scopes: [...scopes.values()] },
    ],
  };
}

function scopeOf(scope: { name: string; version?: string }): { name: string; version?: string } {
  return scope.version ? { name: scope.name, version: scope.version } : { name: scope.name };
}

function milliseconds([seconds, nanoseconds]: [number, number]): number {
  return seconds * 1000 + Math.floor(nanoseconds / 1e6);
}

function attributesOf(attributes: object): Attributes {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) result[key] = attributeValueOf(value);
  return result;
}

function attributeValueOf(value: unknown): AttributeValue {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(attributeValueOf);
  if (value !== null && typeof value === 'object') return attributesOf(value);
  return (value ?? null) as AttributeValue;
}

/** A hand-made protobuf message: concatenated fields. */
export function message(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

export function varintField(field: number, value: number | bigint): Uint8Array {
  return message(varint(field * 8), varint(value));
}

export function bytesField(field: number, content: Uint8Array | string): Uint8Array {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return message(varint(field * 8 + 2), varint(bytes.length), bytes);
}

export function doubleField(field: number, value: number): Uint8Array {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return message(varint(field * 8 + 1), bytes);
}

export function fixed64Field(field: number, value: number | bigint): Uint8Array {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value)));
  return message(varint(field * 8 + 1), bytes);
}

export function varint(value: number | bigint): Uint8Array {
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return Uint8Array.from(bytes);
}

/** An ExportMetricsServiceRequest holding one metric (its encoded fields). */
export function metricsRequest(...metricFields: Uint8Array[]): Uint8Array {
  return bytesField(1, bytesField(2, bytesField(2, message(...metricFields))));
}

/** An ExportTraceServiceRequest holding one span (its encoded fields). */
export function tracesRequest(...spanFields: Uint8Array[]): Uint8Array {
  return bytesField(1, bytesField(2, bytesField(2, message(...spanFields))));
}

/** A JSON metrics body holding one metric. */
export function jsonMetricsRequest(metric: object): Uint8Array {
  return Buffer.from(
    JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [metric] }] }] }),
  );
}
