// The collector's benchmark (build first: `npm run build`):
// 1. ingest throughput with 16 simulated replicas: metric points/s and spans/s, protobuf and
//    JSON, through the whole ingest path (decode, view update, reply) of the real app;
// 2. RSS with 10,000 series held, in a fresh process;
// 3. latency from the SDK recording a call to the SSE frame that shows it, against the real
//    `headroom` process, with the SDK's default 500 ms export interval.
// Targets on a 2-core machine: >= 100,000 points/s, >= 20,000 spans/s, RSS <= 256 MiB at 10,000
// series, p95 record-to-frame <= 1 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { init } from '@headroom/sdk';
import { SpanKind } from '@opentelemetry/api';
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
import { Collector, createApp } from '../dist/index.js';

const REPLICAS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  async onForceFlush() {}
  async onShutdown() {}
}

/** One export of one replica, as Headroom's SDK sends it: every instrument over `streams` attribute sets. */
async function metricsExport(replica, streams) {
  const reader = new ManualReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': 'bench',
      'service.instance.id': `replica-${replica}`,
    }),
    readers: [reader],
  });
  const meter = provider.getMeter('@headroom/sdk');
  const requests = meter.createCounter('headroom.requests');
  const calls = meter.createCounter('headroom.calls');
  const tokens = meter.createCounter('headroom.tokens');
  const active = meter.createUpDownCounter('headroom.calls.active');
  const duration = meter.createHistogram('gen_ai.client.operation.duration', { unit: 's' });
  for (const attributes of streams) {
    const outcome = { ...attributes, 'headroom.outcome': 'ok' };
    requests.add(3, outcome);
    calls.add(2, outcome);
    tokens.add(300, { ...attributes, 'gen_ai.token.type': 'input' });
    tokens.add(40, { ...attributes, 'gen_ai.token.type': 'output' });
    active.add(1, attributes);
    duration.record(0.8, attributes);
  }
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  let points = 0;
  for (const scope of resourceMetrics.scopeMetrics)
    for (const metric of scope.metrics) points += metric.dataPoints.length;
  return {
    points,
    protobuf: ProtobufMetricsSerializer.serializeRequest(resourceMetrics),
    json: JsonMetricsSerializer.serializeRequest(resourceMetrics),
  };
}

function streamsFor(replica, count) {
  const streams = [];
  for (let index = 0; index < count; index++) {
    streams.push({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': index % 3 === 0 ? 'anthropic' : 'openai',
      'gen_ai.request.model': `model-${index % 5}`,
      'headroom.key': `key-${index % 4}`,
      'headroom.tenant': `tenant-${(index >> 2) % 50}`,
      'headroom.graph.name': 'agent',
      'headroom.graph.node': `node-${index % 10}`,
      'server.address': 'api.example.com',
      'service.replica': replica,
    });
  }
  return streams;
}

function spansExport(replica, count) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'bench',
      'service.instance.id': `replica-${replica}`,
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('other-instrumentation');
  for (let index = 0; index < count / 2; index++) {
    const call = tracer.startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 30,
      },
    });
    const attempt = tracer.startSpan('POST', {
      kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': 'POST', 'http.response.status_code': 200 },
    });
    attempt.end();
    call.end();
  }
  const spans = exporter.getFinishedSpans();
  return {
    spans: spans.length,
    protobuf: ProtobufTraceSerializer.serializeRequest(spans),
    json: JsonTraceSerializer.serializeRequest(spans),
  };
}

async function throughput(path, payloads, encoding, unit) {
  const app = createApp(new Collector());
  const contentType = encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
  const send = (payload) =>
    app.request(`http://localhost${path}`, {
      method: 'POST',
      body: payload[encoding],
      headers: { 'content-type': contentType },
    });
  for (const payload of payloads) await send(payload);
  let items = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    for (const payload of payloads) {
      const response = await send(payload);
      if (response.status !== 200)
        throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
      items += payload[unit];
    }
  }
  return items / ((performance.now() - started) / 1000);
}

/** In a fresh process: hold 10,000 series and report RSS. */
async function rssChild() {
  const app = createApp(new Collector());
  const perReplica = 10_000 / REPLICAS;
  let series = 0;
  for (let replica = 0; replica < REPLICAS; replica++) {
    const payload = await metricsExport(replica, streamsFor(replica, perReplica));
    series += perReplica;
    const response = await app.request('http://localhost/v1/metrics', {
      method: 'POST',
      body: payload.protobuf,
      headers: { 'content-type': 'application/x-protobuf' },
    });
    if (response.status !== 200) throw new Error(`ingest answered ${response.status}`);
  }
  globalThis.gc?.();
  process.stdout.write(JSON.stringify({ series, rss: process.memoryUsage().rss }));
}

function rssInFreshProcess() {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', fileURLToPath(import.meta.url), '--rss-child'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`rss child exited ${code}`)),
    );
  });
}

/** Record a call in the SDK, time until an SSE frame from the real collector shows it. */
async function latency(samples) {
  const data = mkdtempSync(join(tmpdir(), 'headroom-bench-'));
  const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--data', data], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, HEADROOM_TOKEN: '' },
  });
  const abort = new AbortController();
  let headroom;
  try {
    const url = await new Promise((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /listening on (\S+) /.exec(output);
        if (match) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`collector exited: ${output}`)));
    });
    headroom = init({ serviceName: 'latency', collectorUrl: url, registerGlobals: false });
    let seenCalls = 0;
    let waiting;
    const response = await fetch(`${url}/api/live`, { signal: abort.signal });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          if (!data) continue;
          const snapshot = JSON.parse(data.slice(6)).snapshot;
          const key = snapshot.keys.find((entry) => entry.key === 'latency');
          if (key && key.callsPerMinute > seenCalls) {
            seenCalls = key.callsPerMinute;
            waiting?.();
          }
        }
      }
    })().catch(() => {});
    const times = [];
    for (let index = 0; index < samples; index++) {
      // A random phase against the 500 ms export interval, as real calls have.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 500));
      const target = seenCalls + 1;
      const shown = new Promise((resolve) => {
        waiting = () => seenCalls >= target && resolve();
      });
      const started = performance.now();
      await headroom.trackCall(
        { provider: 'openai', model: 'gpt-4o-mini', key: 'latency' },
        async () => {},
      );
      await shown;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return {
      p50: times[Math.floor(samples * 0.5)],
      p95: times[Math.ceil(samples * 0.95) - 1],
      max: times.at(-1),
    };
  } finally {
    abort.abort();
    await headroom?.shutdown();
    child.kill('SIGTERM');
    rmSync(data, { recursive: true, force: true });
  }
}

if (process.argv.includes('--rss-child')) {
  await rssChild();
} else {
  const metricPayloads = await Promise.all(
    Array.from({ length: REPLICAS }, (_, replica) =>
      metricsExport(replica, streamsFor(replica, 40)),
    ),
  );
  const spanPayloads = Array.from({ length: REPLICAS }, (_, replica) => spansExport(replica, 512));
  const pointsPerExport = metricPayloads[0].points;
  const rows = [
    [
      'metric points/s, protobuf',
      await throughput('/v1/metrics', metricPayloads, 'protobuf', 'points'),
      100_000,
    ],
    [
      'metric points/s, JSON',
      await throughput('/v1/metrics', metricPayloads, 'json', 'points'),
      100_000,
    ],
    [
      'spans/s, protobuf',
      await throughput('/v1/traces', spanPayloads, 'protobuf', 'spans'),
      20_000,
    ],
    ['spans/s, JSON', await throughput('/v1/traces', spanPayloads, 'json', 'spans'), 20_000],
  ];
  const memory = await rssInFreshProcess();
  const delay = await latency(Number(process.env.BENCH_SAMPLES ?? 40));
  console.log(
    `Collector benchmark: ${REPLICAS} replicas, ${pointsPerExport} points per metrics export, 512 spans per trace export`,
  );
  for (const [label, value, target] of rows) {
    console.log(
      `${label.padEnd(28)} ${Math.round(value).toLocaleString('en-US').padStart(12)}   target >= ${target.toLocaleString('en-US')}   ${value >= target ? 'met' : 'MISSED'}`,
    );
  }
  const mib = memory.rss / 1024 / 1024;
  console.log(
    `${`RSS at ${memory.series.toLocaleString('en-US')} series`.padEnd(28)} ${`${mib.toFixed(0)} MiB`.padStart(12)}   target <= 256 MiB   ${mib <= 256 ? 'met' : 'MISSED'}`,
  );
  console.log(`${'record-to-frame p50'.padEnd(28)} ${`${delay.p50.toFixed(0)} ms`.padStart(12)}`);
  console.log(
    `${'record-to-frame p95'.padEnd(28)} ${`${delay.p95.toFixed(0)} ms`.padStart(12)}   target <= 1000 ms   ${delay.p95 <= 1000 ? 'met' : 'MISSED'}`,
  );
}
