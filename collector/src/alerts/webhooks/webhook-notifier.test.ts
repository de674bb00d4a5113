import { describe, expect, it } from 'vitest';
import { START } from '../test-helpers.js';
import { slackMessage } from './slack-message.js';
import { notice, notifier, receiver, webhook } from './test-helpers.js';
import { WebhookNotifier } from './webhook-notifier.js';

describe('WebhookNotifier', () => {
  it('retries 503 twice with backoff and full jitter, then delivers once, with the Slack body', async () => {
    const server = await receiver((index) => ({ status: index < 2 ? 503 : 200 }));
    try {
      const { instance, sleeps, logs } = notifier({ allowPrivateWebhooks: true });
      await instance.notify([notice(webhook(server.url))]);
      expect(server.received).toHaveLength(3);
      for (const request of server.received) {
        expect(request.method).toBe('POST');
        expect(request.headers['content-type']).toBe('application/json');
        expect(JSON.parse(request.body)).toEqual(slackMessage(notice(webhook(server.url))));
      }
      expect(JSON.parse(server.received[2]!.body).text).toContain(
        '[INCIDENT] critical incident on prod/openai/gpt-4o-mini: Uncontrolled fan-out',
      );
      // Random 0.5 of 500 × 2^(attempt − 1).
      expect(sleeps).toEqual([250, 500]);
      expect(logs).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('does not retry a 400, and logs one line without the URL', async () => {
    const server = await receiver(() => ({ status: 400 }));
    try {
      const { instance, sleeps, logs } = notifier({ allowPrivateWebhooks: true });
      await instance.notify([notice(webhook(server.url))]);
      expect(server.received).toHaveLength(1);
      expect(sleeps).toEqual([]);
      expect(logs).toEqual([
        'webhook slack: HTTP 400, not retried; opened notice of incident inc-1 on prod/openai/gpt-4o-mini not delivered',
      ]);
    } finally {
      await server.close();
    }
  });

  it('honours retry-after on a 429', async () => {
    const server = await receiver((index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 204 },
    );
    try {
      const { instance, sleeps } = notifier({ allowPrivateWebhooks: true });
      await instance.notify([notice(webhook(server.url))]);
      expect(server.received).toHaveLength(2);
      expect(sleeps).toEqual([2000]);
    } finally {
      await server.close();
    }
  });

  it('gives up after maxAttempts on a refused connection, with one log line', async () => {
    const server = await receiver(() => ({ status: 200 }));
    await server.close();
    const { instance, sleeps, logs } = notifier({ maxAttempts: 3, allowPrivateWebhooks: true });
    await expect(instance.notify([notice(webhook(server.url))])).resolves.toBeUndefined();
    expect(sleeps).toEqual([250, 500]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(
      /^webhook slack: gave up after 3 attempts \(fetch failed \(ECONNREFUSED\)\); opened notice/,
    );
    expect(logs[0]).not.toContain('secret-token');
  });

  it('a receiver that never answers times out instead of holding the delivery', async () => {
    const server = await receiver(() => 'hang');
    try {
      const { instance, logs } = notifier({
        maxAttempts: 2,
        timeoutMs: 100,
        allowPrivateWebhooks: true,
      });
      await instance.notify([notice(webhook(server.url))]);
      expect(server.received).toHaveLength(2);
      expect(logs[0]).toMatch(/^webhook slack: gave up after 2 attempts \(.*timeout.*\)/);
    } finally {
      await server.close();
    }
  });

  it('never throws: a fetch that throws at once, or a sleep that fails, is logged', async () => {
    const { instance, logs } = notifier({
      maxAttempts: 2,
      fetch: () => {
        throw new Error('boom');
      },
      sleep: () => Promise.reject(new Error('no timers')),
    });
    await expect(instance.notify([notice(webhook('http://hooks.test/'))])).resolves.toBeUndefined();
    expect(logs).toEqual([
      'webhook slack: no timers; opened notice of incident inc-1 on prod/openai/gpt-4o-mini not delivered',
    ]);
  });

  it('does not hold the caller: notify returns before the receiver answers, and idle() waits for it', async () => {
    let answer: (response: Response) => void = () => {};
    const { instance } = notifier({
      fetch: () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    let delivered = false;
    void instance.notify([notice(webhook('http://hooks.test/'))]).then(() => (delivered = true));
    await Promise.resolve();
    expect(delivered).toBe(false);
    answer(new Response('ok'));
    await instance.idle();
    expect(delivered).toBe(true);
  });

  it('bounds deliveries per incident and minute on its clock, counts what it holds back, logs once a minute', async () => {
    let time = START;
    let posts = 0;
    const { instance, logs } = notifier({
      now: () => time,
      fetch: async () => {
        posts++;
        return new Response('ok');
      },
    });
    const hooks = [webhook('https://hooks.test/x')];
    const opened = notice(hooks[0]!);
    const resolved = notice(hooks[0]!, 'resolved', { state: 'resolved' });
    // Flapping for a minute: opened and resolved every 2 s.
    for (let index = 0; index < 30; index++) {
      await instance.notify([index % 2 === 0 ? opened : resolved]);
      time += 2000;
    }
    expect(posts).toBe(6);
    expect(instance.suppressed).toBe(24);
    expect(logs).toEqual([
      'webhook slack: opened notice of incident inc-1 on prod/openai/gpt-4o-mini held back (6 notifications of this incident in the last 60 s, at most 6); 1 of this incident held back since the last such line, which comes at most once a minute',
    ]);
    // Over a minute after the first line, the window is free again; the next refusal logs again,
    // with the count held back since.
    time = START + 75_000;
    for (let index = 0; index < 7; index++) {
      await instance.notify([index % 2 === 0 ? opened : resolved]);
      time += 1000;
    }
    expect(posts).toBe(12);
    expect(instance.suppressed).toBe(25);
    expect(logs).toHaveLength(2);
    expect(logs[1]).toMatch(
      / held back \(6 notifications of this incident in the last 60 s, at most 6\); 24 of this incident held back since the last such line/,
    );
  });

  it('names a bad option', () => {
    expect(() => new WebhookNotifier({ maxAttempts: 0 })).toThrow(
      'Expected `maxAttempts` to be an integer from 1 and up, got 0',
    );
    expect(() => new WebhookNotifier({ baseDelayMs: -1 })).toThrow(
      'Expected `baseDelayMs` to be a number from 0 and up, got -1',
    );
  });
});
