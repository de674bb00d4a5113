// `npm run bench:goodput`: how much of a key's quota each way of calling a model turns into
// answers. Against the mock provider at 3000 RPM (50 requests a second, enforced per second and
// per minute) and 100 ms per answer, three workloads from the field, four strategies each:
// plain `Promise.all`, a semaphore of 3 with an app-level retry (5 attempts, exponential backoff
// with full jitter), `p-limit(8)` with the same retry, and the Headroom guard (`guard: true`,
// which learns the ceiling from the provider's headers; on a fleet of 4 or 8 replicas, with
// Redis and without). The three without the guard keep the openai client's own 2 retries, as
// apps do.
//
// Per run: the provider's count of 429s and HTTP attempts, the time from the first call to the
// last answer as a multiple of the theoretical minimum (calls ÷ 50 a second), and failed calls.
// With Redis, each fleet row also gives the admission script's time on Redis (p50, p99) and
// Redis's CPU. Then the fleet's budget at scale: 8 replica processes admitting through it (no
// HTTP) on a key of 30,000 RPM and, in the same run, of 3,000 RPM: each admission's round trip
// (p50, p99), the script's time on Redis, Redis's CPU and the rate admitted.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startMockProvider } from '@headroom/mock-provider';
import { init } from '@headroom/sdk';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { FLEET_SECOND_WINDOW_MS } from '../dist/guard/shared-budget.js';
import { FLEET_STRATEGIES, LABELS, runCalls, STRATEGIES } from './goodput-strategies.mjs';

const RPM = 3000;
const PER_SECOND = RPM / 60;
const LATENCY_MS = 100;
const API_KEY = 'sk-goodput';
const SCALE_RPMS = [3000, 30_000];
/** Admissions at each rate: this many seconds of the key's ceiling. */
const SCALE_SECONDS = 10;
const worker = fileURLToPath(new URL('./goodput-worker.mjs', import.meta.url));
const admissionWorker = fileURLToPath(new URL('./admission-worker.mjs', import.meta.url));

const mock = await startMockProvider({
  keys: { [API_KEY]: { rpm: RPM } },
  latency: { fixedMs: LATENCY_MS },
});
const headroom = init({ serviceName: 'goodput', collectorUrl: false });
const redis = await startRedis();
const stats = redis && new Redis(redis.url);

const WORKLOADS = [
  {
    name: '300 calls fanned out at once',
    calls: 300,
    run: (strategy, client) => runCalls(strategy, thunks(client, 300)),
  },
  {
    name: '300 calls in batches of 50',
    calls: 300,
    run: async (strategy, client) => {
      const all = thunks(client, 300);
      const results = [];
      for (let start = 0; start < all.length; start += 50)
        results.push(...(await runCalls(strategy, all.slice(start, start + 50))));
      return results;
    },
  },
  ...[4, 8].map((replicas) => ({
    name: `${replicas} replicas sharing one key, ${320 / replicas} calls each`,
    calls: 320,
    replicas,
    fleet: true,
  })),
];

const rows = [];
const scale = [];
let run = 0;
try {
  // `GOODPUT_ONLY=replicas` runs only the workloads whose name has that in it.
  const only = process.env.GOODPUT_ONLY ?? '';
  for (const workload of WORKLOADS.filter((workload) => workload.name.includes(only))) {
    // `GOODPUT_STRATEGIES=guardLocal,guard` runs only those strategies.
    const strategies = (workload.fleet ? FLEET_STRATEGIES : STRATEGIES).filter(
      (strategy) => !process.env.GOODPUT_STRATEGIES?.split(',').every((name) => name !== strategy),
    );
    for (const strategy of strategies) {
      run++;
      if (workload.fleet && strategy === 'guard' && redis === undefined) {
        rows.push({ workload, strategy, skipped: 'redis-server not found' });
        continue;
      }
      let failed;
      let seconds;
      let redisFigures;
      if (workload.fleet) {
        const measure = strategy === 'guard' ? await redisUse() : undefined;
        ({ failed, seconds } = await runFleet(
          strategy,
          workload.replicas,
          workload.calls / workload.replicas,
          { KEY: `goodput-${run}` },
        ));
        redisFigures = await measure?.(seconds);
      } else {
        const client = clientFor(strategy, run);
        mock.reset();
        const started = performance.now();
        failed = countFailed(await workload.run(strategy, client));
        seconds = (performance.now() - started) / 1000;
      }
      const truth = mock.stats().keys[API_KEY];
      rows.push({
        workload,
        strategy,
        rateLimited: truth.rateLimited,
        attempts: truth.requests,
        ratio: seconds / (workload.calls / PER_SECOND),
        failed,
        redis: redisFigures,
      });
      const row = rows.at(-1);
      process.stderr.write(
        `${workload.name} · ${LABELS[strategy]}: ${row.rateLimited} × 429 in ${row.attempts} attempts, ${row.ratio.toFixed(2)}× the minimum, ${row.failed} failed${redisFigures ? `; Redis: script ${redisFigures.p50} / ${redisFigures.p99} µs (p50 / p99), CPU ${redisFigures.cpu.toFixed(1)} %` : ''}\n`,
      );
    }
  }
  if (redis !== undefined && 'the fleet budget at scale'.includes(only)) {
    for (const rpm of SCALE_RPMS) {
      scale.push(await runAdmissions(rpm, 8));
      const row = scale.at(-1);
      process.stderr.write(`fleet budget at ${rpm} RPM: ${JSON.stringify(row)}\n`);
    }
  }
} finally {
  await headroom.shutdown();
  await mock.close();
  stats?.disconnect();
  redis?.child.kill('SIGKILL');
}

console.log(
  `\nGoodput at ${RPM} RPM (${PER_SECOND}/s), ${LATENCY_MS} ms per answer; minimum = calls ÷ ${PER_SECOND}/s\n`,
);
console.log(
  '| workload | strategy | 429s | HTTP attempts | time ÷ minimum | failed calls | Redis: script p50 / p99, CPU |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  if (row.skipped) {
    console.log(
      `| ${row.workload.name} | ${LABELS[row.strategy]} | — | — | — | ${row.skipped} | — |`,
    );
    continue;
  }
  const figures = row.redis
    ? `${row.redis.p50} / ${row.redis.p99} µs, ${row.redis.cpu.toFixed(1)} %`
    : '—';
  console.log(
    `| ${row.workload.name} | ${LABELS[row.strategy]} | ${row.rateLimited} | ${row.attempts} | ${row.ratio.toFixed(2)}× | ${row.failed} | ${figures} |`,
  );
}
if (scale.length > 0) {
  console.log(
    `\nThe fleet's budget at scale: 8 replica processes admitting through Redis as fast as it lets them (no HTTP), ${SCALE_SECONDS} s of each key's ceiling. Round trip measured in the replicas; script time from Redis's \`INFO latencystats\`; CPU = Redis's user + sys ÷ wall; the pace's fastest: rpm/60 at once, then as many each ${FLEET_SECOND_WINDOW_MS} ms\n`,
  );
  console.log(
    "| key RPM | admitted | time ÷ the pace's fastest | answers that said wait | round trip p50 / p99 | script p50 / p99 | Redis CPU |",
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of scale) {
    console.log(
      `| ${row.rpm} | ${row.admitted} | ${row.ratio.toFixed(2)}× | ${row.waits} | ${row.roundTrip.p50} / ${row.roundTrip.p99} µs | ${row.script.p50} / ${row.script.p99} µs | ${row.cpu.toFixed(1)} % |`,
    );
  }
}
const guardRows = rows.filter((row) => row.strategy === 'guard' && !row.skipped);
const met = guardRows.every(
  (row) =>
    row.failed === 0 &&
    row.ratio <= 1.1 &&
    (row.workload.fleet ? row.rateLimited <= 0.005 * row.attempts : row.rateLimited === 0),
);
console.log(
  `\nguard target (no 429, ≤ 0.5 % of attempts in the fleet; no failed call; ≤ 1.1× the minimum): ${met ? 'met' : 'NOT met'}`,
);
const redisRows = guardRows.filter((row) => row.workload.fleet);
const redisMet = redisRows.every(
  (row) => row.failed === 0 && row.rateLimited <= 0.005 * row.attempts && row.ratio <= 1.05,
);
console.log(
  `guard + Redis on a fleet target (≤ 0.5 % of attempts answered 429; no failed call; ≤ 1.05× the minimum): ${redisMet ? 'met' : 'NOT met'}`,
);
const localRows = rows.filter((row) => row.strategy === 'guardLocal' && !row.skipped);
const localMet = localRows.every(
  (row) => row.failed === 0 && row.ratio <= 1.3 && row.rateLimited <= 0.01 * row.attempts,
);
console.log(
  `guard without Redis target (≤ 1 % of attempts answered 429; no failed call; ≤ 1.3× the minimum): ${localMet ? 'met' : 'NOT met'}`,
);

/**
 * 8 processes admit through the fleet's budget on one lane until each has its part of
 * `SCALE_SECONDS` of the ceiling; Redis's statistics reset before.
 */
async function runAdmissions(rpm, replicas) {
  const count = Math.round((rpm / 60) * SCALE_SECONDS);
  const children = Array.from({ length: replicas }, () =>
    spawn(process.execPath, [admissionWorker], {
      env: {
        ...process.env,
        REDIS_URL: redis.url,
        LANE: `scale-${rpm}`,
        RPM: String(rpm),
        COUNT: String(Math.ceil(count / replicas)),
      },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    }),
  );
  try {
    const outputs = children.map(collect);
    await Promise.all(
      children.map((child) => new Promise((resolve) => child.once('message', resolve))),
    );
    const measure = await redisUse();
    const started = performance.now();
    for (const child of children) child.send('start');
    const replies = (await Promise.all(outputs)).map((stdout) => JSON.parse(stdout));
    const seconds = (performance.now() - started) / 1000;
    const figures = await measure(seconds);
    const roundTrips = replies.flatMap((reply) => reply.roundTrips).sort((a, b) => a - b);
    const admitted = Math.ceil(count / replicas) * replicas;
    // The fastest the fleet's pace allows: a window's share at once, then one window each.
    const ideal = ((Math.ceil(admitted / Math.ceil(rpm / 60)) - 1) * FLEET_SECOND_WINDOW_MS) / 1000;
    return {
      rpm,
      admitted,
      ratio: seconds / ideal,
      waits: replies.reduce((sum, reply) => sum + reply.waits, 0),
      roundTrip: { p50: quantile(roundTrips, 0.5), p99: quantile(roundTrips, 0.99) },
      script: { p50: figures.p50, p99: figures.p99 },
      cpu: figures.cpu,
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function collect(child) {
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  return new Promise((resolve) => child.once('close', () => resolve(stdout)));
}

/**
 * Redis's own figures over one run: its statistics reset before, read after. Returns a function
 * of the run's seconds that reads the admission script's latency percentiles and the CPU used.
 */
async function redisUse() {
  await stats.config('RESETSTAT');
  const before = cpuSeconds(await stats.info('cpu'));
  return async (seconds) => {
    const cpu = cpuSeconds(await stats.info('cpu')) - before;
    const latency = (await stats.info('latencystats')).match(
      /latency_percentiles_usec_eval(?:sha)?:p50=([\d.]+),p99=([\d.]+)/,
    );
    const commands = (await stats.info('commandstats')).match(/cmdstat_eval(?:sha)?:calls=(\d+)/);
    return {
      p50: latency ? Math.round(Number(latency[1])) : Number.NaN,
      p99: latency ? Math.round(Number(latency[2])) : Number.NaN,
      calls: commands ? Number(commands[1]) : 0,
      cpu: (100 * cpu) / seconds,
    };
  };
}

function cpuSeconds(info) {
  const field = (name) => Number(info.match(new RegExp(`${name}:([\\d.]+)`))?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

function thunks(client, count) {
  return Array.from(
    { length: count },
    (_, index) => () =>
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `document ${index}` }],
      }),
  );
}

/** The guarded client of a run gets a key of its own: it learns the ceiling afresh. */
function clientFor(strategy, run) {
  const client = new OpenAI({ apiKey: API_KEY, baseURL: `${mock.url}/v1` });
  return strategy === 'guard'
    ? headroom.instrument(client, { key: `goodput-${run}`, guard: true })
    : client;
}

function countFailed(results) {
  return results.filter((result) => result.status === 'rejected').length;
}

/** The fleet: one process per replica, all started at once; the guard's share one Redis. */
async function runFleet(strategy, replicas, callsEach, env) {
  const children = Array.from({ length: replicas }, () =>
    spawn(process.execPath, [worker], {
      env: {
        ...process.env,
        ...env,
        MOCK_URL: mock.url,
        STRATEGY: strategy,
        CALLS: String(callsEach),
        REDIS_URL: redis?.url ?? '',
      },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    }),
  );
  try {
    const outputs = children.map(collect);
    // Every replica loaded before the load starts (on 2 cores, 8 take well over a second); the
    // clock starts with the load.
    await Promise.all(
      children.map((child) => new Promise((resolve) => child.once('message', resolve))),
    );
    mock.reset();
    const started = performance.now();
    for (const child of children) child.send('start');
    const replies = (await Promise.all(outputs)).map((stdout) => JSON.parse(stdout));
    const seconds = (performance.now() - started) / 1000;
    if (process.env.GOODPUT_TIMES)
      process.stderr.write(
        `  replicas' first and last answers (ms): ${replies.map((reply) => `${reply.first}–${reply.last}`).join(', ')}\n`,
      );
    return { failed: replies.reduce((sum, reply) => sum + reply.failed, 0), seconds };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

async function startRedis() {
  if (spawnSync('redis-server', ['--version']).status !== 0) return undefined;
  const port = await new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  await new Promise((resolve) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  return { url: `redis://127.0.0.1:${port}`, child };
}
