import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Incident, Webhook } from '../../storage/types.js';
import type { IncidentNotice, NoticeReason } from '../incidents/incident-notices.js';
import { START } from '../test-helpers.js';
import { WebhookNotifier } from './webhook-notifier.js';

export interface Received {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Reply = { status: number; headers?: Record<string, string> } | 'hang';

/** A real HTTP receiver on 127.0.0.1, answering request n with `reply(n)`. */
export async function receiver(reply: (index: number) => Reply) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const answer = reply(received.length);
      received.push({ method: request.method, headers: request.headers, body });
      if (answer === 'hang') return;
      response.writeHead(answer.status, answer.headers).end(answer.status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/services/T000/B000/secret-token`,
    received,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const incident: Incident = {
  id: 'inc-1',
  subject: 'key=prod|provider=openai|model=gpt-4o-mini',
  state: 'open',
  firstWarningAt: START - 5000,
  openedAt: START,
  severity: 'critical',
  cause: 'fan_out',
  diagnosis: {
    cause: 'fan_out',
    title: 'Uncontrolled fan-out',
    summary: 'agent/summarize started 24 model calls within one second (fan-out from 10).',
    evidence: { node: 'agent/summarize', burstSize: 24 },
    fix: { text: 'Bound the calls in flight.', snippet: 'const limit = pLimit(10);' },
    alternatives: [],
  },
  timeline: [],
  alerts: [
    {
      ruleId: 'rpm-critical',
      ruleName: 'RPM at ceiling',
      kind: 'utilization',
      series: 'key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm',
      severity: 'critical',
      firingSince: START,
    },
  ],
};

/** A notice of `incident` (or one like it) to `target`. */
export function notice(
  target: Webhook,
  reason: NoticeReason = 'opened',
  fields: Partial<Incident> = {},
): IncidentNotice {
  return { webhook: target, incident: { ...incident, ...fields }, reason, at: START };
}

export function webhook(url: string, fields: Partial<Webhook> = {}): Webhook {
  return { id: 'slack', url, severities: [], enabled: true, updatedAt: START, ...fields };
}

/** A notifier that does not really wait, and records what it would have waited. */
export function notifier(options: ConstructorParameters<typeof WebhookNotifier>[0] = {}) {
  const sleeps: number[] = [];
  const logs: string[] = [];
  const instance = new WebhookNotifier({
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
    },
    random: () => 0.5,
    log: (line) => logs.push(line),
    ...options,
  });
  return { instance, sleeps, logs };
}
