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
import { TOUR as PHASES } from '@headroom/example-kit';
import { startMockProvider } from '@headroom/mock-provider';
import { root } from './setup.mjs';

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
    `\n── ${index + 1}/${phases.length} ${phase.title} (${phase.example}) ──\nlook at: ${phase.look}\n`,
  );
  await runExample(phase, duration);
}
if (!stopping) {
  console.log(`\nThe tour is over; the collector keeps serving ${collector.url} until Ctrl-C.`);
}
