import { describe, expect, it } from 'vitest';
import type { Resolve } from './pinned-lookup.js';
import { notice, notifier, receiver, webhook } from './test-helpers.js';

const UNSENT = '; opened notice of incident inc-1 on prod/openai/gpt-4o-mini not delivered';
const LOCAL =
  'webhooks may not target it (start with --allow-private-webhooks for local receivers)';

/** A name no DNS knows, resolving to what the test says: it stands for a rebinding name. */
const resolvingTo =
  (...addresses: string[]): Resolve =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook targets at delivery (a real receiver on 127.0.0.1)', () => {
  it('refuses a stored loopback URL by default: nothing reaches the receiver, no retry, one line', async () => {
    const server = await receiver(() => ({ status: 200 }));
    try {
      const { instance, sleeps, logs } = notifier();
      for (const host of ['127.0.0.1', '127.1', '0x7f.1', '2130706433', 'localhost', 'localhost.'])
        await instance.notify([notice(webhook(`http://${host}:${server.port}/hook`))]);
      expect(server.received).toEqual([]);
      expect(sleeps).toEqual([]);
      expect(logs).toEqual([
        ...Array(4).fill(
          `webhook slack: 127.0.0.1 is a loopback address; ${LOCAL}, not retried${UNSENT}`,
        ),
        `webhook slack: localhost is a loopback name; ${LOCAL}, not retried${UNSENT}`,
        `webhook slack: localhost. is a loopback name; ${LOCAL}, not retried${UNSENT}`,
      ]);
    } finally {
      await server.close();
    }
  });

  it('refuses a name that resolves to 127.0.0.1, or to a public address and 127.0.0.1', async () => {
    const server = await receiver(() => ({ status: 200 }));
    try {
      for (const resolve of [resolvingTo('127.0.0.1'), resolvingTo('93.184.216.34', '127.0.0.1')]) {
        const { instance, sleeps, logs } = notifier({ resolve });
        await instance.notify([notice(webhook(`http://hooks.example.test:${server.port}/hook`))]);
        expect(sleeps).toEqual([]);
        expect(logs).toEqual([
          `webhook slack: hooks.example.test resolves to 127.0.0.1, a loopback address; ${LOCAL}, not retried${UNSENT}`,
        ]);
      }
      expect(server.received).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('with allowPrivateWebhooks delivers, to the very address it checked (the name is in no DNS)', async () => {
    const server = await receiver(() => ({ status: 200 }));
    try {
      const { instance, logs } = notifier({
        allowPrivateWebhooks: true,
        resolve: resolvingTo('127.0.0.1'),
      });
      await instance.notify([notice(webhook(`http://hooks.example.test:${server.port}/hook`))]);
      expect(logs).toEqual([]);
      expect(server.received).toHaveLength(1);
      expect(server.received[0]!.headers.host).toBe(`hooks.example.test:${server.port}`);
    } finally {
      await server.close();
    }
  });

  it('refuses link-local (cloud metadata) and unspecified addresses even with allowPrivateWebhooks', async () => {
    const server = await receiver(() => ({ status: 200 }));
    try {
      const { instance, logs } = notifier({
        allowPrivateWebhooks: true,
        resolve: resolvingTo('127.0.0.1', '169.254.169.254'),
      });
      await instance.notify([notice(webhook(`http://hooks.example.test:${server.port}/hook`))]);
      await instance.notify([notice(webhook(`http://0.0.0.0:${server.port}/hook`))]);
      expect(server.received).toEqual([]);
      const never = 'webhooks may not target it (not even with --allow-private-webhooks)';
      expect(logs).toEqual([
        `webhook slack: hooks.example.test resolves to 169.254.169.254, a link-local address; ${never}, not retried${UNSENT}`,
        `webhook slack: 0.0.0.0 is an unspecified address; ${never}, not retried${UNSENT}`,
      ]);
    } finally {
      await server.close();
    }
  });

  it('does not follow a 307: the second receiver gets nothing, the first one request, one line', async () => {
    const second = await receiver(() => ({ status: 200 }));
    const first = await receiver(() => ({ status: 307, headers: { location: second.url } }));
    try {
      const { instance, sleeps, logs } = notifier({ allowPrivateWebhooks: true });
      await instance.notify([notice(webhook(first.url))]);
      expect(first.received).toHaveLength(1);
      expect(second.received).toEqual([]);
      expect(sleeps).toEqual([]);
      expect(logs).toEqual([`webhook slack: HTTP 307 redirect not followed, not retried${UNSENT}`]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
