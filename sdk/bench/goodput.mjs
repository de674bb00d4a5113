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
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startMockProvider } from '@headroom/mock-provider';
import { init } from '@headroom/sdk';
import OpenAI from 'openai';
import { FLEET_STRATEGIES, LABELS, runCalls, STRATEGIES } from './goodput-strategies.mjs';

const RPM = 3000;
const PER_SECOND = RPM / 60;
const LATENCY_MS = 100;
const API_KEY = 'sk-goodput';
const worker = fileURLToPath(new URL('./goodput-worker.mjs', import.meta.url));

const mock = await startMockProvider({
  keys: { [API_KEY]: { rpm: RPM } },
  latency: { fixedMs: LATENCY_MS },
});
const headroom = init({ serviceName: 'goodput', collectorUrl: false });
const redis = await startRedis();

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
let run = 0;
try {
  for (const workload of WORKLOADS) {
    for (const strategy of workload.fleet ? FLEET_STRATEGIES : STRATEGIES) {
      run++;
      if (workload.fleet && strategy === 'guard' && redis === undefined) {
        rows.push({ workload, strategy, skipped: 'redis-server not found' });
        continue;
      }
      let failed;
      let seconds;
      if (workload.fleet) {
        ({ failed, seconds } = await runFleet(
          strategy,
          workload.replicas,
          workload.calls / workload.replicas,
        ));
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
      });
      const row = rows.at(-1);
      process.stderr.write(
        `${workload.name} · ${LABELS[strategy]}: ${row.rateLimited} × 429 in ${row.attempts} attempts, ${row.ratio.toFixed(2)}× the minimum, ${row.failed} failed\n`,
      );
    }
  }
} finally {
  await headroom.shutdown();
  await mock.close();
  redis?.child.kill('SIGKILL');
}

console.log(
  `\nGoodput at ${RPM} RPM (${PER_SECOND}/s), ${LATENCY_MS} ms per answer; minimum = calls ÷ ${PER_SECOND}/s\n`,
);
console.log('| workload | strategy | 429s | HTTP attempts | time ÷ minimum | failed calls |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  if (row.skipped) {
    console.log(`| ${row.workload.name} | ${LABELS[row.strategy]} | — | — | — | ${row.skipped} |`);
    continue;
  }
  console.log(
    `| ${row.workload.name} | ${LABELS[row.strategy]} | ${row.rateLimited} | ${row.attempts} | ${row.ratio.toFixed(2)}× | ${row.failed} |`,
  );
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
const localRows = rows.filter((row) => row.strategy === 'guardLocal' && !row.skipped);
const localMet = localRows.every(
  (row) => row.failed === 0 && row.ratio <= 1.3 && row.rateLimited <= 0.01 * row.attempts,
);
console.log(
  `guard without Redis target (≤ 1 % of attempts answered 429; no failed call; ≤ 1.3× the minimum): ${localMet ? 'met' : 'NOT met'}`,
);

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
async function runFleet(strategy, replicas, callsEach) {
  const children = Array.from({ length: replicas }, () =>
    spawn(process.execPath, [worker], {
      env: {
        ...process.env,
        MOCK_URL: mock.url,
        STRATEGY: strategy,
        CALLS: String(callsEach),
        REDIS_URL: redis?.url ?? '',
      },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    }),
  );
  try {
    const outputs = children.map((child) => {
      let stdout = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      return new Promise((resolve) => child.once('close', () => resolve(stdout)));
    });
    // Every replica loaded before the load starts (on 2 cores, 8 take well over a second); the
    // clock starts with the load.
    await Promise.all(
      children.map((child) => new Promise((resolve) => child.once('message', resolve))),
    );
    mock.reset();
    const started = performance.now();
    for (const child of children) child.send('start');
    const failed = (await Promise.all(outputs)).map((stdout) => JSON.parse(stdout).failed);
    return {
      failed: failed.reduce((sum, value) => sum + value, 0),
      seconds: (performance.now() - started) / 1000,
    };
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
