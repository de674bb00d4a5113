// The live stream's cost per viewer, against the real `headroom` process (build first):
// 1,000 series kept changing by 4 replicas (each an OTLP/JSON export of its 250 series every
// 500 ms, the SDK's default interval, at phases 125 ms apart, as a fleet's exports fall), V viewers on `/api/live` in a separate process counting whole frames, and `/healthz`
// timed every 200 ms meanwhile. Target: 300 viewers keep >= 3.8 frames/s, /healthz < 100 ms.
// Before (each viewer built and serialized its own frame), at 1,000 series 50 viewers got
// 0.03-0.74 frames/s and /healthz took up to 51 s.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { startHeadroom } from './headroom-process.mjs';

const SERIES = Number(process.env.BENCH_SERIES ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const VIEWER_COUNTS = (process.env.BENCH_VIEWERS ?? '50,300').split(',').map(Number);

const REPLICAS = 4;

/** One cumulative export of the SDK's main counters for a replica's keys, `round` calls each. */
function exportBody(replica, round, startNanos) {
  const now = `${BigInt(Date.now()) * 1_000_000n}`;
  const points = (value, extra = []) =>
    Array.from({ length: SERIES / REPLICAS }, (_, index) => ({
      attributes: [
        { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
        { key: 'headroom.key', value: { stringValue: `key-${replica}-${index}` } },
        ...extra,
      ],
      startTimeUnixNano: startNanos,
      timeUnixNano: now,
      asInt: String(value),
    }));
  const counter = (name, value, extra) => ({
    name,
    sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: points(value, extra) },
  });
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'bench' } },
            { key: 'service.instance.id', value: { stringValue: `replica-${replica}` } },
          ],
        },
        scopeMetrics: [
          {
            scope: { name: '@headroom/sdk' },
            metrics: [
              counter('headroom.requests', round, [
                { key: 'headroom.outcome', value: { stringValue: 'ok' } },
              ]),
              counter('headroom.calls', round),
              counter('headroom.tokens', round * 100, [
                { key: 'gen_ai.token.type', value: { stringValue: 'input' } },
              ]),
              {
                name: 'headroom.calls.active',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: false,
                  dataPoints: points(round % 5),
                },
              },
            ],
          },
        ],
      },
    ],
  });
}

function post(url, path, body) {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode));
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

function timedGet(url) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    request(url, (response) => {
      response.resume();
      response.once('end', () => resolve(performance.now() - started));
    })
      .once('error', reject)
      .end();
  });
}

/** Counts the places a pattern ends in a stream that comes in chunks. */
function counter(pattern) {
  let tail = Buffer.alloc(0);
  return (chunk) => {
    const joined = Buffer.concat([tail, chunk]);
    let found = 0;
    for (
      let at = joined.indexOf(pattern);
      at >= 0;
      at = joined.indexOf(pattern, at + pattern.length)
    )
      found += 1;
    tail = joined.subarray(Math.max(0, joined.length - pattern.length + 1));
    return found;
  };
}

/** Viewers whose gzip stream is inflated and whose frames are counted in the text, as a browser does. */
const DECODED_VIEWERS = 5;

/**
 * The viewers' process: V streams, whole frames counted per stream over the run. With gzip, a
 * few viewers inflate their stream and count frames in the text (frames end in a blank line, and
 * JSON never holds a raw newline); the rest count frame ends on the wire, each frame being one
 * deflate segment that ends in a sync flush (00 00 ff ff), which keeps this process from needing
 * more CPU than the collector it measures.
 */
async function viewersChild(url, viewers, seconds, gzip) {
  const counts = new Array(viewers).fill(0);
  const bytes = new Array(viewers).fill(0);
  const requests = [];
  let open = 0;
  for (let index = 0; index < viewers; index++) {
    requests.push(
      new Promise((resolve, reject) => {
        const headers = gzip ? { 'accept-encoding': 'gzip' } : {};
        const outgoing = request(`${url}/api/live`, { headers }, (response) => {
          if (response.statusCode !== 200)
            return reject(new Error(`live answered ${response.statusCode}`));
          open += 1;
          const blankLines = counter(Buffer.from('\n\n'));
          const syncFlushes = counter(Buffer.from([0, 0, 0xff, 0xff]));
          const decoded = gzip && index < DECODED_VIEWERS ? createGunzip() : undefined;
          decoded?.on('data', (text) => {
            counts[index] += blankLines(text);
          });
          response.on('data', (chunk) => {
            bytes[index] += chunk.length;
            if (decoded) decoded.write(chunk);
            else counts[index] += gzip ? syncFlushes(chunk) : blankLines(chunk);
          });
          resolve(outgoing);
        });
        outgoing.once('error', reject);
        outgoing.end();
      }),
    );
  }
  const streams = await Promise.all(requests);
  process.send({ open });
  // Counted from the moment all are open: the first (catch-up) frame is not counted.
  await new Promise((resolve) => process.once('message', resolve));
  const startCounts = [...counts];
  const startBytes = bytes.reduce((a, b) => a + b, 0);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const perViewer = counts.map((count, index) => (count - startCounts[index]) / seconds);
  const totalBytes = bytes.reduce((a, b) => a + b, 0) - startBytes;
  for (const stream of streams) stream.destroy();
  process.send({
    perViewer,
    decoded: perViewer.slice(0, gzip ? DECODED_VIEWERS : 0),
    bytesPerSecond: totalBytes / seconds,
  });
}

async function run(viewers, gzip) {
  const headroom = await startHeadroom();
  const { url } = headroom;
  let child;
  let feeding;
  try {
    const startNanos = `${BigInt(Date.now()) * 1_000_000n}`;
    const rounds = new Array(REPLICAS).fill(1);
    for (let replica = 0; replica < REPLICAS; replica++)
      await post(url, '/v1/metrics', exportBody(replica, 1, startNanos));
    feeding = [];
    for (let replica = 0; replica < REPLICAS; replica++) {
      await new Promise((resolve) => setTimeout(resolve, 500 / REPLICAS));
      feeding.push(
        setInterval(() => {
          rounds[replica] += 1;
          void post(url, '/v1/metrics', exportBody(replica, rounds[replica], startNanos)).catch(
            () => {},
          );
        }, 500),
      );
    }
    // The viewers stand for browsers on other machines: niced, so that on a shared 2-core box
    // their reading does not take the collector's core.
    child = spawn(
      'nice',
      [
        '-n',
        '10',
        process.execPath,
        fileURLToPath(import.meta.url),
        '--viewers',
        url,
        String(viewers),
        gzip ? 'gzip' : 'identity',
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const message = () => new Promise((resolve) => child.once('message', resolve));
    await message();
    child.send('start');
    const health = [];
    const done = message();
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    while (!finished) {
      health.push(await timedGet(`${url}/healthz`));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const { perViewer, decoded, bytesPerSecond } = await done;
    if (process.env.BENCH_DEBUG)
      console.log('healthz in order', health.map((value) => value.toFixed(0)).join(' '));
    const frameBytes = await new Promise((resolve, reject) => {
      request(`${url}/api/snapshot`, (response) => {
        let size = 0;
        response.on('data', (chunk) => {
          size += chunk.length;
        });
        response.once('end', () => resolve(size));
      })
        .once('error', reject)
        .end();
    });
    return {
      viewers,
      gzip,
      decoded,
      perViewer: perViewer.sort((a, b) => a - b),
      health: health.sort((a, b) => a - b),
      bytesPerSecond,
      frameBytes,
    };
  } finally {
    for (const timer of feeding ?? []) clearInterval(timer);
    child?.kill();
    await headroom.stop();
  }
}

if (process.argv[2] === '--viewers') {
  await viewersChild(process.argv[3], Number(process.argv[4]), SECONDS, process.argv[5] === 'gzip');
} else {
  console.log(
    `Live stream benchmark: ${SERIES.toLocaleString('en-US')} series changing every 500 ms, ${SECONDS} s per run`,
  );
  // BENCH_GZIP=0: identity streams only, at every viewer count (as a server without gzip).
  const runs =
    process.env.BENCH_GZIP === '0'
      ? VIEWER_COUNTS.map((viewers) => [viewers, false])
      : [...VIEWER_COUNTS.map((viewers) => [viewers, true]), [50, false]];
  for (const [viewers, gzip] of runs) {
    const result = await run(viewers, gzip);
    const median = (values) => values[Math.floor(values.length / 2)];
    const fps = result.perViewer;
    const p99 =
      result.health[Math.min(result.health.length - 1, Math.ceil(result.health.length * 0.99) - 1)];
    console.log(
      `${String(viewers).padStart(4)} viewers, ${gzip ? 'gzip    ' : 'identity'}  frames/s per viewer min ${fps[0].toFixed(2)} median ${median(fps).toFixed(2)}${gzip ? ` (inflated: ${result.decoded.map((value) => value.toFixed(2)).join(' ')})` : ''}` +
        `   /healthz median ${median(result.health).toFixed(1)} ms p99 ${p99.toFixed(1)} ms max ${result.health.at(-1).toFixed(1)} ms` +
        `   snapshot ${(result.frameBytes / 1024).toFixed(0)} KiB, ${(result.bytesPerSecond / 1024 / 1024).toFixed(0)} MiB/s to viewers` +
        `   ${viewers < 300 || (fps[0] >= 3.8 && result.health.at(-1) < 100) ? 'met' : 'MISSED'}`,
    );
  }
}
