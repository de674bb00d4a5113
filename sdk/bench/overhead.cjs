// Per-call overhead of instrumenting the same `openai` client against an in-process fetch stub
// (no network). All variants live in one process and run interleaved in blocks, so they share
// JIT, GC and the machine's noise, and each round's overhead is a block minus the plain block of
// the same round. The official instrumentation patches the module for every client, so it is
// enabled only around its own blocks.
'use strict';
const { performance } = require('node:perf_hooks');
const api = require('@opentelemetry/api');
const { ExportResultCode } = require('@opentelemetry/core');
const {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
} = require('@opentelemetry/sdk-metrics');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OpenAIInstrumentation } = require('@opentelemetry/instrumentation-openai');

const rounds = Number(process.env.BENCH_ROUNDS ?? 25);
const block = Number(process.env.BENCH_BLOCK ?? 2000);

const BODY = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
});
const HEADERS = {
  'content-type': 'application/json',
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-remaining-requests': '9999',
  'x-ratelimit-reset-requests': '6ms',
  'x-ratelimit-limit-tokens': '2000000',
  'x-ratelimit-remaining-tokens': '1999985',
  'x-ratelimit-reset-tokens': '0s',
};
const fetchStub = async () => new Response(BODY, { status: 200, headers: HEADERS });

/** Exporters that accept everything and send nothing, so export cost is the SDK's, not I/O. */
function noopExporters() {
  const ok = (_items, done) => setImmediate(() => done({ code: ExportResultCode.SUCCESS }));
  return {
    spanExporter: { export: ok, shutdown: async () => {}, forceFlush: async () => {} },
    metricExporter: {
      export: ok,
      shutdown: async () => {},
      forceFlush: async () => {},
      selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
    },
  };
}

/** The pipeline Headroom builds, for the official instrumentation and the hand floor. */
function providers() {
  const { spanExporter, metricExporter } = noopExporters();
  return {
    tracerProvider: new BasicTracerProvider({
      spanProcessors: [
        new BatchSpanProcessor(spanExporter, {
          scheduledDelayMillis: 500,
          maxQueueSize: 2048,
          maxExportBatchSize: 512,
        }),
      ],
    }),
    meterProvider: new MeterProvider({
      readers: [
        new PeriodicExportingMetricReader({
          exporter: metricExporter,
          exportIntervalMillis: 500,
          exportTimeoutMillis: 500,
        }),
      ],
    }),
  };
}

/**
 * The hand-made floor: the least any instrumentation does per call with the plain OTel API —
 * one span and four metric records carrying the contract's attributes.
 */
function handFloor(client, { tracerProvider, meterProvider }) {
  const tracer = tracerProvider.getTracer('floor');
  const meter = meterProvider.getMeter('floor');
  const duration = meter.createHistogram('gen_ai.client.operation.duration', { unit: 's' });
  const usage = meter.createHistogram('gen_ai.client.token.usage', { unit: '{token}' });
  const calls = meter.createCounter('headroom.calls');
  const requests = meter.createCounter('headroom.requests');
  const completions = client.chat.completions;
  const create = completions.create;
  completions.create = function (body, options) {
    const attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': body.model,
      'headroom.key': 'key-12345678',
      'server.address': 'bench.local',
    };
    const span = tracer.startSpan(`chat ${body.model}`, { kind: api.SpanKind.CLIENT, attributes });
    const start = performance.now();
    const promise = api.context.with(api.trace.setSpan(api.context.active(), span), () =>
      create.call(this, body, options),
    );
    promise.then(
      (result) => {
        duration.record((performance.now() - start) / 1000, attributes);
        usage.record(result.usage.prompt_tokens, { ...attributes, 'gen_ai.token.type': 'input' });
        calls.add(1, { ...attributes, 'headroom.outcome': 'ok' });
        requests.add(1, { ...attributes, 'headroom.outcome': 'ok' });
        span.end();
      },
      () => span.end(),
    );
    return promise;
  };
  return client;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function main() {
  // The official instrumentation must hook `require('openai')`, so it is created first.
  const official = new OpenAIInstrumentation();
  const officialProviders = providers();
  official.setTracerProvider(officialProviders.tracerProvider);
  official.setMeterProvider(officialProviders.meterProvider);
  official.enable();
  const OpenAI = require('openai').default;
  official.disable();

  const { init, HeadroomInstrumentation } = await import('@headroom/sdk');
  const { spanExporter, metricExporter } = noopExporters();
  const headroom = init({
    serviceName: 'bench',
    collectorUrl: false,
    spanExporter,
    metricExporter,
    exportIntervalMillis: 500,
  });

  // Headroom as an instrumentation in the app's own standard pipeline (what NodeSDK builds):
  // the app's tracer and meter providers, batch span processor, periodic metric reader.
  const standard = new HeadroomInstrumentation({ enabled: false });
  const standardProviders = providers();
  standard.setTracerProvider(standardProviders.tracerProvider);
  standard.setMeterProvider(standardProviders.meterProvider);

  const client = () =>
    new OpenAI({ apiKey: 'sk-bench', baseURL: 'http://bench.local/v1', fetch: fetchStub });
  const plain = client();
  const variants = {
    plain: { client: plain },
    headroom: { client: headroom.instrument(client()) },
    standard: { client: standard.headroom.instrument(client()) },
    official: { client: plain, before: () => official.enable(), after: () => official.disable() },
    floor: { client: handFloor(client(), providers()) },
  };
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say ok.' }] };
  // CPU time of the process, not wall time: on a shared machine, time spent descheduled is
  // noise, while the work the variant makes the CPU do (GC and compiler threads included) is
  // exactly what is measured.
  const runBlock = async (variant, calls) => {
    variant.before?.();
    const started = process.cpuUsage();
    for (let index = 0; index < calls; index++) await variant.client.chat.completions.create(body);
    const used = process.cpuUsage(started);
    variant.after?.();
    return (used.user + used.system) / calls;
  };

  for (const variant of Object.values(variants)) await runBlock(variant, block * 2);
  const names = Object.keys(variants);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  const overhead = Object.fromEntries(names.map((name) => [name, []]));
  // Each round's ratio against the official instrumentation, from blocks that ran side by side.
  const ratios = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const perCall = {};
    for (const name of order) perCall[name] = await runBlock(variants[name], block);
    for (const name of names) {
      times[name].push(perCall[name]);
      overhead[name].push(perCall[name] - perCall.plain);
      ratios[name].push((perCall[name] - perCall.plain) / (perCall.official - perCall.plain));
    }
  }
  await headroom.shutdown();

  const quartiles = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return [at(0.25), at(0.75)];
  };
  const result = Object.fromEntries(
    names.map((name) => [
      name,
      {
        perCall: median(times[name]),
        overhead: median(overhead[name]),
        vsOfficial: median(ratios[name]),
        vsOfficialQuartiles: quartiles(ratios[name]),
      },
    ]),
  );
  console.log(
    `Per-call overhead on one openai client in CPU µs, ${rounds} interleaved rounds of ${block} sequential calls (medians)`,
  );
  console.log('variant      µs/call   overhead µs   × official (median of rounds, quartiles)');
  for (const name of names) {
    const { perCall, overhead: extra, vsOfficial, vsOfficialQuartiles } = result[name];
    const [low, high] = vsOfficialQuartiles;
    console.log(
      `${name.padEnd(12)} ${perCall.toFixed(1).padStart(7)}   ${extra.toFixed(1).padStart(11)}   ` +
        (name === 'plain' ? '' : `${vsOfficial.toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)})`),
    );
  }
  console.log('');
  for (const name of ['headroom', 'standard']) {
    console.log(
      `${name} / official overhead: ${result[name].vsOfficial.toFixed(2)}  (target <= 0.60); / hand floor: ${(result[name].overhead / result.floor.overhead).toFixed(2)}`,
    );
  }
  const met = result.headroom.vsOfficial <= 0.6 && result.standard.vsOfficial <= 0.6;
  console.log(met ? 'target met' : 'target missed');
  if (process.env.BENCH_JSON)
    require('node:fs').writeFileSync(process.env.BENCH_JSON, JSON.stringify(result, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
