// The collector's memory at any cardinality (build first: `npm run build`). For each N, 16
// simulated replicas export N distinct keys between them (N / 16 each), with the SDK's usual
// metric set and its default cumulative temporality, three export rounds, to a fresh process
// that runs only the collector; it reports RSS after GC (and the peak while ingesting), the key
// series held and dropped, and, at 10,000 keys, how long `GET /api/snapshot` takes (median of 9).
// Targets on a 2-core machine: RSS <= 512 MiB at 30,000 keys; 100,000 keys capped at the
// series limit with RSS <= 1 GiB and the drop reported; /api/snapshot <= 200 ms at 10,000.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Collector, createApp } from '../dist/index.js';
import { encodeMetrics, REPLICAS, replicaRounds } from './replica-payloads.mjs';

const COUNTS = (process.env.BENCH_KEYS ?? '1000,10000,30000,100000').split(',').map(Number);
const ROUNDS = 3;
/** Keys per export request: keeps each body well under the 16 MiB limit. */
const BATCH = 2000;
const SNAPSHOT_AT = 10_000;
const SNAPSHOT_RUNS = 9;
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'claude-haiku-4'];

function keyAttributes(index) {
  const model = MODELS[index % MODELS.length];
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': model.startsWith('claude') ? 'anthropic' : 'openai',
    'gen_ai.request.model': model,
    'headroom.key': `key-${index}`,
    'server.address': 'api.example.com',
  };
}

/** Writes every export of every replica, `round-<r>-replica-<i>-batch-<b>.pb`. */
async function writeExports(directory, keys) {
  for (let replica = 0; replica < REPLICAS; replica++) {
    const mine = [];
    for (let index = replica; index < keys; index += REPLICAS) mine.push(keyAttributes(index));
    for (let batch = 0; batch * BATCH < mine.length; batch++) {
      const rounds = await replicaRounds(replica, mine.slice(batch * BATCH, (batch + 1) * BATCH), {
        rounds: ROUNDS,
        cumulative: true,
      });
      for (const [round, resourceMetrics] of rounds.entries()) {
        writeFileSync(
          join(directory, `round-${round}-replica-${replica}-batch-${batch}.pb`),
          encodeMetrics(resourceMetrics).protobuf,
        );
      }
    }
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** In the fresh process: ingest the exports round by round, then measure. */
async function child(directory, measureSnapshot) {
  const collector = new Collector();
  const app = createApp(collector);
  const files = readdirSync(directory).sort();
  for (let round = 0; round < ROUNDS; round++) {
    for (const file of files.filter((name) => name.startsWith(`round-${round}-`))) {
      const response = await app.request('http://localhost/v1/metrics', {
        method: 'POST',
        body: readFileSync(join(directory, file)),
        headers: { 'content-type': 'application/x-protobuf' },
      });
      if (response.status !== 200)
        throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    }
  }
  const result = {
    held: collector.view.keys.size,
    dropped: collector.view.dropped().series,
    streams: collector.view.streams,
  };
  if (measureSnapshot) {
    const times = [];
    for (let run = 0; run < SNAPSHOT_RUNS; run++) {
      const started = performance.now();
      const response = await app.request('http://localhost/api/snapshot');
      await response.text();
      times.push(performance.now() - started);
    }
    result.snapshotMs = median(times);
  }
  // Full collections, with a pause between for V8's concurrent sweeping to hand pages back.
  for (let pass = 0; pass < 3; pass++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  result.rss = process.memoryUsage().rss;
  // The high-water mark while ingesting, decoded payloads and all (maxRSS is in KiB).
  result.peakRss = process.resourceUsage().maxRSS * 1024;
  if (process.env.BENCH_DEBUG) process.stderr.write(`${JSON.stringify(process.memoryUsage())}\n`);
  process.stdout.write(JSON.stringify(result));
}

async function inFreshProcess(keys) {
  const directory = mkdtempSync(join(tmpdir(), 'headroom-cardinality-'));
  try {
    await writeExports(directory, keys);
    return await new Promise((resolve, reject) => {
      const process_ = spawn(
        process.execPath,
        [
          '--expose-gc',
          fileURLToPath(import.meta.url),
          '--child',
          directory,
          keys === SNAPSHOT_AT ? 'snapshot' : '-',
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let output = '';
      process_.stdout.on('data', (chunk) => {
        output += chunk;
      });
      process_.once('exit', (code) =>
        code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`child exited ${code}`)),
      );
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child')) {
  await child(process.argv.at(-2), process.argv.at(-1) === 'snapshot');
} else {
  console.log(
    `Collector at any cardinality: ${REPLICAS} replicas, ${ROUNDS} cumulative export rounds, N distinct keys between them`,
  );
  console.log(
    `${'keys offered'.padStart(12)} ${'held'.padStart(8)} ${'dropped'.padStart(8)} ${'streams'.padStart(9)} ${'RSS'.padStart(9)} ${'peak RSS'.padStart(9)}   target (RSS after GC)`,
  );
  for (const keys of COUNTS) {
    const result = await inFreshProcess(keys);
    const mib = result.rss / 1024 / 1024;
    const target =
      keys <= 30_000
        ? `<= 512 MiB   ${mib <= 512 ? 'met' : 'MISSED'}`
        : `<= 1024 MiB, drop reported   ${mib <= 1024 && result.dropped > 0 ? 'met' : 'MISSED'}`;
    console.log(
      `${keys.toLocaleString('en-US').padStart(12)} ${result.held.toLocaleString('en-US').padStart(8)} ${result.dropped.toLocaleString('en-US').padStart(8)} ${result.streams.toLocaleString('en-US').padStart(9)} ${`${mib.toFixed(0)} MiB`.padStart(9)} ${`${(result.peakRss / 1024 / 1024).toFixed(0)} MiB`.padStart(9)}   ${target}`,
    );
    if (result.snapshotMs !== undefined)
      console.log(
        `${`GET /api/snapshot at ${keys.toLocaleString('en-US')} keys`.padEnd(40)} ${`${result.snapshotMs.toFixed(0)} ms`.padStart(8)} (median of ${SNAPSHOT_RUNS})   target <= 200 ms   ${result.snapshotMs <= 200 ? 'met' : 'MISSED'}`,
      );
  }
}
