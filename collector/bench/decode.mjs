// Decode throughput of the OTLP decoders on a realistic batch: 16 replicas' exports of the
// metrics and spans Headroom's SDK emits (docs/telemetry.md), made by the real OpenTelemetry
// SDK and serializers, merged into one request as an OpenTelemetry Collector would forward it.
// Build first: npx tsc -p tsconfig.build.json && node bench/decode.mjs
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
import { decodeMetrics, decodeTraces } from '../dist/otlp/index.js';

const REPLICAS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
/** Runs only the rows whose label contains this, e.g. BENCH_ONLY='traces protobuf'. */
const ONLY = process.env.BENCH_ONLY;
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

function seriesAttributes() {
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

async function replicaMetrics(replica) {
  const reader = new ManualReader({
    aggregationTemporalitySelector: () => AggregationTemporality.DELTA,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': 'agent',
      'service.instance.id': `replica-${replica}`,
    }),
    readers: [reader],
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
  for (const attributes of seriesAttributes()) {
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
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

async function replicaSpans(replica) {
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

/** Concatenated protobuf requests merge into one; JSON ones are merged by hand. */
function merge(parts, field) {
  const protobuf = Buffer.concat(parts.map((part) => part.protobuf));
  const json = {
    [field]: parts.flatMap((part) => JSON.parse(Buffer.from(part.json).toString())[field]),
  };
  return { protobuf, json: Buffer.from(JSON.stringify(json)) };
}

function measure(label, unit, body, contentType, decode, countOf) {
  if (ONLY && !label.includes(ONLY)) return;
  const items = countOf(decode(body, contentType));
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) decode(body, contentType);
  let rounds = 0;
  const started = performance.now();
  const stopAt = started + SECONDS * 1000;
  while (performance.now() < stopAt) {
    decode(body, contentType);
    rounds++;
  }
  const seconds = (performance.now() - started) / 1000;
  const perSecond = (items * rounds) / seconds;
  const megabytes = (body.length * rounds) / seconds / 1e6;
  console.log(
    `${label.padEnd(16)} ${String(items).padStart(5)} ${unit}/batch  ${(body.length / 1024).toFixed(0).padStart(5)} KiB  ` +
      `${Math.round(perSecond).toLocaleString('en-US').padStart(11)} ${unit}/s  ${megabytes.toFixed(0).padStart(4)} MB/s  ` +
      `${((seconds * 1000) / rounds).toFixed(2)} ms/batch`,
  );
}

const countPoints = (request) => {
  let count = 0;
  for (const resource of request.resourceMetrics)
    for (const scope of resource.scopes)
      for (const metric of scope.metrics) count += metric.points.length;
  return count;
};
const countSpans = (request) => {
  let count = 0;
  for (const resource of request.resourceSpans)
    for (const scope of resource.scopes) count += scope.spans.length;
  return count;
};

const metricParts = [];
const spanParts = [];
for (let replica = 0; replica < REPLICAS; replica++) {
  const metrics = await replicaMetrics(replica);
  metricParts.push({
    protobuf: ProtobufMetricsSerializer.serializeRequest(metrics),
    json: JsonMetricsSerializer.serializeRequest(metrics),
  });
  const spans = await replicaSpans(replica);
  spanParts.push({
    protobuf: ProtobufTraceSerializer.serializeRequest(spans),
    json: JsonTraceSerializer.serializeRequest(spans),
  });
}
const metrics = merge(metricParts, 'resourceMetrics');
const traces = merge(spanParts, 'resourceSpans');

console.log(`node ${process.version}, ${REPLICAS} replicas per batch, ${SECONDS} s per row`);
measure(
  'metrics protobuf',
  'points',
  metrics.protobuf,
  'application/x-protobuf',
  decodeMetrics,
  countPoints,
);
measure('metrics JSON', 'points', metrics.json, 'application/json', decodeMetrics, countPoints);
measure(
  'traces protobuf',
  'spans',
  traces.protobuf,
  'application/x-protobuf',
  decodeTraces,
  countSpans,
);
measure('traces JSON', 'spans', traces.json, 'application/json', decodeTraces, countSpans);
