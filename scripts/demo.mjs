// The demo: the collector (serving the dashboard), a mock provider with real rate limits, and an
// app that alternates between an uncontrolled fan-out (Promise.all over 40 calls) and the same
// work behind a semaphore of 4, with one line a second of what the Headroom SDK recorded.
import { startCollector } from '@headroom/collector';
import { startMockProvider } from '@headroom/mock-provider';
import { init } from '@headroom/sdk';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import OpenAI from 'openai';

const RPM = 240;
const port = Number(process.env.HEADROOM_PORT ?? 4800);
const collector = await startCollector({
  port,
  data: '.headroom',
  log: (line) => console.log(`collector: ${line}`),
}).catch((error) => {
  console.error(
    `headroom: cannot start the collector on port ${port} (${error.message}); set HEADROOM_PORT`,
  );
  process.exit(1);
});
const mock = await startMockProvider({
  port: 0,
  defaultLimits: { rpm: RPM, tpm: 200_000, concurrency: 10 },
  latency: { fixedMs: 150, jitterMs: 100 },
});

/** Receives the SDK's delta exports once a second and prints them. */
const figures = {
  export(resourceMetrics, done) {
    const sum = (name, outcome) => {
      let total = 0;
      for (const scope of resourceMetrics.scopeMetrics)
        for (const metric of scope.metrics)
          if (metric.descriptor.name === name)
            for (const point of metric.dataPoints)
              if (outcome === undefined || point.attributes['headroom.outcome'] === outcome)
                total += typeof point.value === 'number' ? point.value : 0;
      return total;
    };
    const peak = Math.max(
      0,
      ...resourceMetrics.scopeMetrics.flatMap((scope) =>
        scope.metrics
          .filter((metric) => metric.descriptor.name === 'headroom.calls.active.max')
          .flatMap((metric) => metric.dataPoints.map((point) => point.value)),
      ),
    );
    const calls = sum('headroom.calls');
    const attempts = sum('headroom.requests');
    console.log(
      `${phase.padEnd(24)} in flight peak ${String(peak).padStart(3)} | calls ${String(calls).padStart(3)}/s | HTTP attempts ${String(attempts).padStart(3)}/s | 429s ${String(sum('headroom.requests', 'rate_limited')).padStart(3)}/s | attempts per call ${calls ? (attempts / calls).toFixed(2) : '   -'} | tokens ${sum('headroom.tokens')}/s`,
    );
    done({ code: 0 });
  },
  selectAggregationTemporality: () => AggregationTemporality.DELTA,
  forceFlush: async () => {},
  shutdown: async () => {},
};

const headroom = init({
  serviceName: 'headroom-demo',
  collectorUrl: collector.url,
  metricExporter: figures,
  exportIntervalMillis: 1000,
});
const client = headroom.instrument(
  new OpenAI({ apiKey: 'sk-demo', baseURL: `${mock.url}/v1`, maxRetries: 2 }),
  { key: 'demo-key' },
);
const ask = (index) =>
  client.chat.completions
    .create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Summarise chunk ${index}` }],
      max_tokens: 32,
    })
    .catch(() => undefined);

let phase = 'starting';
let stopping = false;
async function withLimit(limit, count, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (!stopping && next < count) await task(next++);
    }),
  );
}

console.log(`\ndashboard: ${collector.url}   (open it in a browser)`);
console.log(`mock provider on ${mock.url} with ${RPM} RPM, 10 concurrent per key\n`);
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await headroom.shutdown();
  await mock.close();
  await collector.close();
  const stats = mock.stats().totals;
  console.log(`\nprovider saw ${stats.requests} requests, ${stats.rateLimited} refused with 429`);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

const rounds = Number(process.env.DEMO_ROUNDS ?? Number.POSITIVE_INFINITY);
for (let round = 0; round < rounds && !stopping; round++) {
  phase = 'fan-out: Promise.all(40)';
  await Promise.all(Array.from({ length: 40 }, (_, index) => ask(index)));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  phase = 'semaphore of 4';
  await withLimit(4, 40, ask);
  await new Promise((resolve) => setTimeout(resolve, 3000));
}
await stop();
