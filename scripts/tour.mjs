// `npm start`: the collector (serving the dashboard), one mock provider with realistic per-key
// ceilings, and a tour of the five causes of 429s and the fixes, one example after another
// (about a minute each), with one line per phase on what to look at.
//
//   npm start                         the whole tour
//   npm start -- --example fleet      one example alone, until Ctrl-C
//   npm start -- --seconds 20         shorter phases
//
// Ctrl-C stops every child process.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startCollector } from '@headroom/collector';
import { startMockProvider } from '@headroom/mock-provider';
import { root } from './setup.mjs';

/** The tour: each example, its provider key and ceilings, and what to look at while it runs. */
export const PHASES = [
  {
    example: 'broken-fanout',
    cause: 'uncontrolled fan-out',
    apiKey: 'sk-example-fanout',
    limits: { rpm: 300, concurrency: 20 },
    look: 'key `fanout`: 60 calls in flight at once against 5 requests a second; the burst meter goes red and 429s follow.',
  },
  {
    example: 'fixed-fanout',
    cause: 'the usual fix: a semaphore of 3 and backoff',
    apiKey: 'sk-example-fanout-fixed',
    limits: { rpm: 300, concurrency: 20 },
    look: 'key `fanout-fixed`: at most 3 in flight, far fewer 429s, but the quota sits mostly unused.',
  },
  {
    example: 'guarded-fanout',
    cause: 'the fix: the Headroom guard (`guard: true`)',
    apiKey: 'sk-example-fanout-guarded',
    limits: { rpm: 300, concurrency: 20 },
    look: 'key `fanout-guarded`: the same 60 calls at once, paced by the guard at 5 a second: no 429, every call answered, and the Guard figures under the key.',
  },
  {
    example: 'stacked-retries',
    cause: 'stacked retries',
    apiKey: 'sk-example-retries',
    limits: { rpm: 60, concurrency: 2 },
    look: 'key `retries`: retry amplification well above 1.5 (HTTP attempts per call); the diagnosis names stacked retries.',
  },
  {
    example: 'langgraph-agent',
    cause: 'a graph loop (and a Send fan-out)',
    apiKey: 'sk-example-agent',
    limits: { rpm: 240, concurrency: 6 },
    look: 'Graph: `research` fans out, `write` loops back on itself; without the hard stop its executions per run climb to the recursion limit.',
  },
  {
    example: 'batches',
    cause: 'batches too large for the quota',
    apiKey: 'sk-example-batches',
    limits: { rpm: 600, tpm: 60_000 },
    look: 'key `batches`: 50 requests start in the same second, 5 times the per-second share; the charts show the sawtooth.',
  },
  {
    example: 'fleet',
    cause: 'many replicas sharing one key',
    apiKey: 'sk-example-fleet',
    limits: { rpm: 240 },
    look: 'Fleet: 8 replicas on `fleet`, each a modest share, together over 240 RPM; the diagnosis names the shared key.',
  },
];

const { values } = parseArgs({
  options: {
    example: { type: 'string' },
    seconds: { type: 'string', default: process.env.TOUR_PHASE_SECONDS ?? '60' },
    port: { type: 'string', default: process.env.HEADROOM_PORT ?? '4800' },
  },
});
const seconds = Number(values.seconds);
if (!(seconds > 0)) {
  console.error(
    `headroom: --seconds must be a positive number, got ${JSON.stringify(values.seconds)}`,
  );
  process.exit(2);
}
const phases = values.example ? PHASES.filter((phase) => phase.example === values.example) : PHASES;
if (phases.length === 0) {
  console.error(
    `headroom: no example named ${JSON.stringify(values.example)}; one of: ${PHASES.map((phase) => phase.example).join(', ')}`,
  );
  process.exit(2);
}

const children = new Set();
let stopping = false;
const collector = await startCollector({
  port: Number(values.port),
  data: `${root}/.headroom`,
  // Alerts are on the dashboard; in the terminal they would drown the tour's own lines.
  log: (line) => {
    if (!line.startsWith('alert ')) console.log(`collector: ${line}`);
  },
}).catch((error) => {
  console.error(
    `headroom: cannot start the collector on port ${values.port} (${error.message}); pass --port or set HEADROOM_PORT`,
  );
  process.exit(1);
});
const mock = await startMockProvider({
  port: 0,
  keys: Object.fromEntries(PHASES.map((phase) => [phase.apiKey, phase.limits])),
  latency: { fixedMs: 300, jitterMs: 200 },
});

async function stop() {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    [...children].map((child) => new Promise((resolve) => child.once('exit', resolve))),
  );
  await mock.close();
  await collector.close();
  process.exit(0);
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

/** Runs one example as a child process for `duration` seconds (or until Ctrl-C). */
function runExample(phase, duration) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${root}/examples/${phase.example}/dist/main.js`], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        MOCK_URL: mock.url,
        HEADROOM_COLLECTOR_URL: collector.url,
        DURATION_SECONDS: String(duration),
      },
    });
    children.add(child);
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
  });
}

console.log(`\nHeadroom dashboard: ${collector.url}\n`);
for (const [index, phase] of phases.entries()) {
  if (stopping) break;
  const duration = values.example ? 24 * 3600 : seconds;
  console.log(
    `\n── ${index + 1}/${phases.length} ${phase.cause} (${phase.example}) ──\nlook at: ${phase.look}\n`,
  );
  await runExample(phase, duration);
}
if (!stopping) {
  console.log(`\nThe tour is over; the collector keeps serving ${collector.url} until Ctrl-C.`);
}
