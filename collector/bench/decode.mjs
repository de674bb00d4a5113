// Decode throughput of the OTLP decoders on a realistic batch: 16 replicas' exports of the
// metrics and spans Headroom's SDK emits (docs/telemetry.md), made by the real OpenTelemetry
// SDK and serializers, merged into one request as an OpenTelemetry Collector would forward it.
// Build first: npx tsc -p tsconfig.build.json && node bench/decode.mjs
import { decodeMetrics, decodeTraces } from '../dist/otlp/index.js';
import {
  encodeMetrics,
  encodeSpans,
  REPLICAS,
  replicaMetrics,
  replicaSpans,
} from './replica-payloads.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
/** Runs only the rows whose label contains this, e.g. BENCH_ONLY='traces protobuf'. */
const ONLY = process.env.BENCH_ONLY;

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
  metricParts.push(encodeMetrics(await replicaMetrics(replica)));
  spanParts.push(encodeSpans(await replicaSpans(replica)));
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
