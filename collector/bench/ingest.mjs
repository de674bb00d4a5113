// The collector's benchmark (build first: `npm run build`):
// 1. ingest throughput with 16 simulated replicas: metric points/s and spans/s, protobuf and
//    JSON, through the whole ingest path (decode, view update, reply) of the real app;
// 2. latency from the SDK recording a call to the SSE frame that shows it, against the real
//    `headroom` process, with the SDK's default 500 ms export interval.
// Targets on a 2-core machine: >= 100,000 points/s, >= 20,000 spans/s, p95 record-to-frame <= 1 s.
// Memory at 1,000 to 100,000 keys is bench/cardinality.mjs.
import { performance } from 'node:perf_hooks';
import { init } from '@headroom/sdk';
import { Collector, createApp } from '../dist/index.js';
import { startHeadroom } from './headroom-process.mjs';
import {
  encodeMetrics,
  encodeSpans,
  REPLICAS,
  replicaMetrics,
  replicaSpans,
} from './replica-payloads.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

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

/** Record a call in the SDK, time until an SSE frame from the real collector shows it. */
async function latency(samples) {
  const collector = await startHeadroom();
  const { url } = collector;
  const abort = new AbortController();
  let headroom;
  try {
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
    await collector.stop();
  }
}

const metricPayloads = await Promise.all(
  Array.from({ length: REPLICAS }, async (_, replica) =>
    encodeMetrics(await replicaMetrics(replica)),
  ),
);
const spanPayloads = await Promise.all(
  Array.from({ length: REPLICAS }, async (_, replica) => encodeSpans(await replicaSpans(replica))),
);
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
  ['spans/s, protobuf', await throughput('/v1/traces', spanPayloads, 'protobuf', 'spans'), 20_000],
  ['spans/s, JSON', await throughput('/v1/traces', spanPayloads, 'json', 'spans'), 20_000],
];
const delay = await latency(Number(process.env.BENCH_SAMPLES ?? 40));
console.log(
  `Collector benchmark: ${REPLICAS} replicas, ${pointsPerExport} points per metrics export, ${spanPayloads[0].spans} spans per trace export`,
);
for (const [label, value, target] of rows) {
  console.log(
    `${label.padEnd(28)} ${Math.round(value).toLocaleString('en-US').padStart(12)}   target >= ${target.toLocaleString('en-US')}   ${value >= target ? 'met' : 'MISSED'}`,
  );
}
console.log(`${'record-to-frame p50'.padEnd(28)} ${`${delay.p50.toFixed(0)} ms`.padStart(12)}`);
console.log(
  `${'record-to-frame p95'.padEnd(28)} ${`${delay.p95.toFixed(0)} ms`.padStart(12)}   target <= 1000 ms   ${delay.p95 <= 1000 ? 'met' : 'MISSED'}`,
);
