// What 16 replicas of an app instrumented with Headroom's SDK send: the contract's metrics and
// spans (docs/telemetry.md), made by the real OpenTelemetry SDK. Shared by the benchmarks.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, ValueType } from '@opentelemetry/api';
import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export const REPLICAS = 16;

const PROVIDERS = {
  openai: ['gpt-4o', 'gpt-4o-mini', 'o3'],
  anthropic: ['claude-sonnet-4', 'claude-haiku-4'],
};
const KEYS = ['team-a', 'team-b'];
const DURATION_BOUNDS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
const TOKEN_BOUNDS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

class ManualReader extends MetricReader {
  async onShutdown() {}
  async onForceFlush() {}
}

export function seriesAttributes() {
  const all = [];
  for (const [provider, models] of Object.entries(PROVIDERS)) {
    for (const model of models) {
      for (const key of KEYS) {
        all.push({
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': provider,
          'gen_ai.request.model': model,
          'headroom.key': key,
          'server.address': `api.${provider}.com`,
        });
      }
    }
  }
  return all;
}

export async function replicaMetrics(replica, series = seriesAttributes(), options = {}) {
  const [resourceMetrics] = await replicaRounds(replica, series, { ...options, rounds: 1 });
  return resourceMetrics;
}

/**
 * `rounds` successive exports of one replica, each after the same calls again: with
 * `cumulative` (the SDK's default), later rounds carry the running totals, as a live replica's do.
 */
export async function replicaRounds(
  replica,
  series = seriesAttributes(),
  { rounds = 1, cumulative = false } = {},
) {
  const reader = new ManualReader({
    aggregationTemporalitySelector: () =>
      cumulative ? AggregationTemporality.CUMULATIVE : AggregationTemporality.DELTA,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': 'agent',
      'service.instance.id': `replica-${replica}`,
    }),
    readers: [reader],
    // The SDK's default of 2,000 attribute sets per instrument would fold the many-key runs.
    views: [{ meterName: '@headroom/sdk', aggregationCardinalityLimit: 1_000_000 }],
  });
  const meter = provider.getMeter('@headroom/sdk', '0.1.0');
  const duration = meter.createHistogram('gen_ai.client.operation.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BOUNDS },
  });
  const usage = meter.createHistogram('gen_ai.client.token.usage', {
    unit: '{token}',
    advice: { explicitBucketBoundaries: TOKEN_BOUNDS },
  });
  const calls = meter.createCounter('headroom.calls', { unit: '{call}', valueType: ValueType.INT });
  const requests = meter.createCounter('headroom.requests', {
    unit: '{request}',
    valueType: ValueType.INT,
  });
  const tokens = meter.createCounter('headroom.tokens', {
    unit: '{token}',
    valueType: ValueType.INT,
  });
  const active = meter.createUpDownCounter('headroom.calls.active', {
    unit: '{call}',
    valueType: ValueType.INT,
  });
  const peak = meter.createGauge('headroom.calls.active.max', {
    unit: '{call}',
    valueType: ValueType.INT,
  });
  const ratelimit = meter.createGauge('headroom.ratelimit.remaining', {
    unit: '1',
    valueType: ValueType.INT,
  });
  const exports = [];
  for (let round = 0; round < rounds; round++) {
    record(series, { duration, usage, tokens, calls, requests, active, peak, ratelimit });
    exports.push((await reader.collect()).resourceMetrics);
  }
  await provider.shutdown();
  return exports;
}

function record(series, { duration, usage, tokens, calls, requests, active, peak, ratelimit }) {
  for (const attributes of series) {
    for (let call = 0; call < 5; call++) duration.record(0.3 + call * 0.7, attributes);
    for (const type of ['input', 'output']) {
      usage.record(800, { ...attributes, 'gen_ai.token.type': type });
      tokens.add(800, { ...attributes, 'gen_ai.token.type': type });
    }
    for (const outcome of ['ok', 'rate_limited', 'error']) {
      calls.add(3, { ...attributes, 'headroom.outcome': outcome });
      requests.add(4, { ...attributes, 'headroom.outcome': outcome });
    }
    active.add(2, attributes);
    peak.record(4, attributes);
    for (const dimension of ['requests', 'tokens']) {
      ratelimit.record(4000, { ...attributes, 'headroom.ratelimit.dimension': dimension });
    }
  }
}

export async function replicaSpans(replica) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'agent',
      'service.instance.id': `replica-${replica}`,
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('@headroom/sdk', '0.1.0');
  for (const attributes of seriesAttributes()) {
    for (let index = 0; index < 8; index++) {
      const node = tracer.startSpan('node plan', {
        kind: SpanKind.INTERNAL,
        attributes: {
          'headroom.graph.name': 'support',
          'headroom.graph.node': 'plan',
          'headroom.graph.step': index,
        },
      });
      const call = tracer.startSpan(
        `chat ${attributes['gen_ai.request.model']}`,
        { kind: SpanKind.CLIENT, attributes },
        trace.setSpan(ROOT_CONTEXT, node),
      );
      const http = tracer.startSpan(
        'POST',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'http.response.status_code': 200,
            'server.address': attributes['server.address'],
          },
        },
        trace.setSpan(ROOT_CONTEXT, call),
      );
      http.end();
      call.setAttributes({
        'gen_ai.usage.input_tokens': 812,
        'gen_ai.usage.output_tokens': 90,
        'gen_ai.response.finish_reasons': ['stop'],
        'headroom.outcome': 'ok',
        'headroom.attempts': 1,
      });
      call.setStatus({ code: SpanStatusCode.OK });
      call.end();
      node.end();
    }
  }
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** A replica's export as the bodies it would POST, with how many points or spans it holds. */
export function encodeMetrics(resourceMetrics) {
  let points = 0;
  for (const scope of resourceMetrics.scopeMetrics)
    for (const metric of scope.metrics) points += metric.dataPoints.length;
  return {
    points,
    protobuf: ProtobufMetricsSerializer.serializeRequest(resourceMetrics),
    json: JsonMetricsSerializer.serializeRequest(resourceMetrics),
  };
}

export function encodeSpans(spans) {
  return {
    spans: spans.length,
    protobuf: ProtobufTraceSerializer.serializeRequest(spans),
    json: JsonTraceSerializer.serializeRequest(spans),
  };
}
