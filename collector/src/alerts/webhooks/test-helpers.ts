import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Rule, Webhook } from '../../storage/types.js';
import { START } from '../test-helpers.js';
import type { TransitionDraft } from '../types.js';
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

export const rule: Pick<Rule, 'name' | 'kind'> = { name: 'RPM at ceiling', kind: 'utilization' };

export const firing: TransitionDraft = {
  ruleId: 'rpm-critical',
  series: 'key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm',
  state: 'firing',
  severity: 'critical',
  value: 0.95,
  threshold: 0.9,
  at: START,
  diagnosis: {
    cause: 'fan_out',
    title: 'Uncontrolled fan-out',
    summary: 'agent/summarize started 24 model calls within one second (fan-out from 10).',
    evidence: { node: 'agent/summarize', burstSize: 24 },
    fix: { text: 'Bound the calls in flight.', snippet: 'const limit = pLimit(10);' },
    alternatives: [],
  },
};

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
