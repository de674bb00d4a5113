import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incident, IncidentsResponse } from '@headroom/contract';
import { TOUR, type TourPhase } from '@headroom/example-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { getJson, resources, startCollectorProcess, startMockProcess } from './processes.js';

const open = resources();
afterEach(() => open.close());

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const apps = join(here, '..', 'apps');

/** How long each example or app runs; an example finishes the round it is in. */
const SECONDS = 20;

type Expected = TourPhase['expectedCause'];

/** One step of the test's tour: an example of `examples/`, or a zero-code app of `apps/`. */
interface Step {
  name: string;
  /** The keys it sends on (their names in Headroom) and the cause its incident should have. */
  keys: string[];
  expectedCause: Expected;
  /** The processes it starts together: `node [--import @headroom/sdk/register] script`. */
  processes: Array<{ script: string; zeroCode: boolean; env: Record<string, string> }>;
}

const examples: Step[] = TOUR.map((phase) => ({
  name: phase.example,
  keys: [phase.key],
  expectedCause: phase.expectedCause,
  processes: [
    { script: join(root, 'examples', phase.example, 'dist', 'main.js'), zeroCode: false, env: {} },
  ],
}));

/** An app of `apps/` on one key, named through `HEADROOM_KEY_NAMES` as a zero-code app can. */
function zeroCode(app: string, apiKey: string, key: string, env: Record<string, string> = {}) {
  return {
    script: join(apps, app),
    zeroCode: true,
    env: {
      API_KEY: apiKey,
      HEADROOM_KEY_NAMES: `*=${key}`,
      OTEL_SERVICE_NAME: key,
      ...env,
    },
  };
}

const ownApps: Step[] = [
  {
    name: 'healthy (zero-code)',
    keys: ['healthy'],
    expectedCause: null,
    processes: [zeroCode('healthy.mjs', 'sk-app-healthy', 'healthy')],
  },
  {
    name: 'batches with pauses (zero-code)',
    keys: ['paused-batches'],
    expectedCause: 'batch_too_large',
    processes: [zeroCode('batches-with-pauses.mjs', 'sk-app-paused-batches', 'paused-batches')],
  },
  {
    name: 'app retry with a timeout, openai (zero-code)',
    keys: ['timeout-openai'],
    expectedCause: 'stacked_retries',
    processes: [zeroCode('retry-with-timeout.mjs', 'sk-app-timeout-openai', 'timeout-openai')],
  },
  {
    name: 'app retry with a timeout, ChatOpenAI (zero-code)',
    keys: ['timeout-langchain'],
    expectedCause: 'stacked_retries',
    processes: [
      zeroCode('retry-with-timeout.mjs', 'sk-app-timeout-langchain', 'timeout-langchain', {
        CLIENT: 'langchain',
      }),
    ],
  },
  {
    name: 'two keys of one organization (zero-code)',
    keys: ['team-a', 'team-b'],
    expectedCause: 'shared_key',
    processes: [
      zeroCode('team.mjs', 'sk-app-team-a', 'team-a'),
      zeroCode('team.mjs', 'sk-app-team-b', 'team-b'),
    ],
  },
];

/** The mock provider's keys: the tour's own, and the apps'. */
const PROVIDER = {
  keys: {
    ...Object.fromEntries(TOUR.map((phase) => [phase.apiKey, phase.limits])),
    'sk-app-healthy': { rpm: 600 },
    'sk-app-paused-batches': { rpm: 600 },
    'sk-app-timeout-openai': { rpm: 60, concurrency: 4 },
    'sk-app-timeout-langchain': { rpm: 60, concurrency: 4 },
    'sk-app-team-a': { organization: 'org-teams' },
    'sk-app-team-b': { organization: 'org-teams' },
  },
  organizations: { 'org-teams': { rpm: 240 } },
};

interface Delivery {
  at: number;
  text: string;
  header: string;
}

/** A loopback webhook receiver that keeps every message it is sent. */
async function webhookReceiver() {
  const deliveries: Delivery[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const message = JSON.parse(body) as {
      text: string;
      blocks: Array<{ type: string; text?: { text: string } }>;
    };
    const header = message.blocks.find((block) => block.type === 'header')?.text?.text ?? '';
    deliveries.push({ at: Date.now(), text: message.text, header });
    response.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs a step's processes together to their end (they stop after `SECONDS`). */
async function runStep(step: Step, mockUrl: string, collectorUrl: string): Promise<void> {
  await Promise.all(
    step.processes.map(
      (process_) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [...(process_.zeroCode ? ['--import', '@headroom/sdk/register'] : []), process_.script],
            {
              cwd: join(root, 'e2e'),
              stdio: ['ignore', 'pipe', 'pipe'],
              env: {
                ...process.env,
                HEADROOM_TOKEN: '',
                MOCK_URL: mockUrl,
                HEADROOM_COLLECTOR_URL: collectorUrl,
                HEADROOM_EXPORT_INTERVAL_MS: '500',
                DURATION_SECONDS: String(SECONDS),
                ...process_.env,
              },
            },
          );
          let output = '';
          child.stdout.on('data', (chunk) => (output += chunk));
          child.stderr.on('data', (chunk) => (output += chunk));
          const kill = () => child.kill('SIGKILL');
          open.add(kill);
          const timer = setTimeout(kill, (SECONDS + 60) * 1000);
          child.once('exit', (code, signal) => {
            clearTimeout(timer);
            if (code === 0) resolve();
            else reject(new Error(`${step.name} exited (${code ?? signal}): ${output}`));
          });
        }),
    ),
  );
}

function keyOfSubject(subject: string): string | undefined {
  return /^key=([^|]+)\|/.exec(subject)?.[1];
}

/** `key=fanout|provider=openai|model=gpt-4o-mini` → `fanout/openai/gpt-4o-mini`, as messages say. */
function subjectLabel(subject: string): string {
  return subject
    .split('|')
    .map((part) => part.slice(part.indexOf('=') + 1))
    .join('/');
}

describe('the tour: every example and app against the mock provider', () => {
  it('each opens one incident with its own cause (the guarded and healthy ones none), told to a webhook a few times', {
    timeout: 900_000,
  }, async () => {
    const data = open.directory('headroom-tour-');
    const receiver = await webhookReceiver();
    open.add(receiver.close);
    const config = join(data, 'headroom.json');
    writeFileSync(config, JSON.stringify({ webhooks: [{ url: receiver.url }] }));
    const collector = await startCollectorProcess(data, [
      '--config',
      config,
      '--allow-private-webhooks',
    ]);
    open.add(collector.stop);
    const mock = await startMockProcess(data, PROVIDER, { latencyMs: 300, jitterMs: 200 });
    open.add(mock.stop);

    const steps = [...examples, ...ownApps];
    for (const step of steps) await runStep(step, mock.url, collector.url);

    // Every incident resolves once its key is quiet for the rules' windows.
    let incidents: IncidentsResponse;
    const deadline = Date.now() + 150_000;
    for (;;) {
      incidents = await getJson<IncidentsResponse>(`${collector.url}/api/incidents?limit=200`);
      if (incidents.open.length === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const all: Incident[] = [...incidents.open, ...incidents.recent];
    // The resolved messages go out as the incidents resolve: wait until every incident told
    // as opened has been told as resolved too (or 10 s), rather than for a fixed time.
    const settled = Date.now() + 10_000;
    while (Date.now() < settled) {
      const headlines = receiver.deliveries.map((delivery) => delivery.header);
      const opened = headlines.filter((header) => header.startsWith('Incident,')).length;
      const resolved = headlines.filter((header) => header.startsWith('Resolved,')).length;
      if (resolved >= opened) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // For a closer look at a run: every incident, whole, and every message the webhook got.
    const dump = process.env.HEADROOM_TOUR_DUMP;
    if (dump)
      writeFileSync(
        dump,
        JSON.stringify({ incidents: all, deliveries: receiver.deliveries }, null, 2),
      );

    const told = (incident: Incident) =>
      receiver.deliveries
        .filter((delivery) => delivery.header.endsWith(` on ${subjectLabel(incident.subject)}`))
        .map((delivery) => delivery.header.slice(0, delivery.header.indexOf(',')));
    const report = steps.map((step) => {
      const mine = all.filter((incident) => step.keys.includes(keyOfSubject(incident.subject)!));
      return {
        step: step.name,
        incidents: mine.map((incident) => ({
          key: keyOfSubject(incident.subject),
          cause: incident.cause,
          severity: incident.severity,
          state: incident.state,
          notifications: told(incident),
        })),
      };
    });
    // The figures of the run, for the record.
    console.log(
      report
        .map(
          ({ step, incidents: found }) =>
            `${step}: ${found.length === 0 ? 'no incident' : found.map((incident) => `${incident.key} ${incident.cause} (${incident.severity}), ${incident.notifications.length} notifications: ${incident.notifications.join(', ')}`).join('; ')}`,
        )
        .join('\n'),
    );

    // Each step: one incident per key, with the step's own cause, or none at all; no incident
    // on anything else (a graph node, a key no step sends on).
    expect(
      report.map(({ step, incidents: found }) => ({
        step,
        // Keys of one step in name order: which opened first is the provider's timing.
        causes: found.map((incident) => `${incident.key}: ${incident.cause}`).sort(),
      })),
    ).toEqual(
      steps.map((step) => ({
        step: step.name,
        causes:
          step.expectedCause === null
            ? []
            : step.keys.map((key) => `${key}: ${step.expectedCause}`).sort(),
      })),
    );
    expect(all).toHaveLength(report.reduce((sum, entry) => sum + entry.incidents.length, 0));
    // All over once the traffic stopped, and each told to the webhook the way Alertmanager
    // groups: opened (after the group wait), at most one escalation and one change of cause,
    // resolved. Nothing for the quiet ones.
    for (const { incidents: found } of report) {
      for (const incident of found) {
        expect(incident.state).toBe('resolved');
        expect(incident.notifications[0]).toBe('Incident');
        expect(incident.notifications.at(-1)).toBe('Resolved');
        expect(incident.notifications.length).toBeLessThanOrEqual(4);
      }
    }
    expect(receiver.deliveries).toHaveLength(
      report.reduce(
        (sum, entry) =>
          sum +
          entry.incidents.reduce((count, incident) => count + incident.notifications.length, 0),
        0,
      ),
    );
  });
});
