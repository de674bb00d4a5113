import { afterEach, describe, expect, it } from 'vitest';
import { WebhookNotifier } from '../src/alerts/index.js';
import { START } from '../src/alerts/test-helpers.js';
import { notice } from '../src/alerts/webhooks/test-helpers.js';
import { createApp } from '../src/app.js';
import { Collector } from '../src/collector.js';
import { openStore } from '../src/storage/index.js';
import { json, resources } from './helpers.js';

const open = resources();
afterEach(() => open.close());

const SLACK = 'https://hooks.slack.com/services/T000/B000/secret-token';
const MASKED = 'https://hooks.slack.com/…';

function api(options: { allowPrivateWebhooks?: boolean; notifier?: WebhookNotifier } = {}) {
  const store = openStore(open.directory());
  open.add(() => store.close());
  const collector = new Collector({ store, ...options });
  const app = createApp(collector);
  const send = (method: string, path: string, body: unknown) =>
    app.request(`http://localhost${path}`, {
      method,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
  const get = (path: string) => app.request(`http://localhost${path}`);
  return { store, collector, app, send, get };
}

describe('/api/webhooks', () => {
  it('masks the URL in every reply, and never lets it out of the store', async () => {
    const { store, send, get } = api();
    const created = await send('POST', '/api/webhooks', { id: 'slack', url: SLACK });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      id: 'slack',
      url: MASKED,
      severities: [],
      enabled: true,
      updatedAt: expect.any(Number),
    });
    expect((await json(get('/api/webhooks'))).map((item: { url: string }) => item.url)).toEqual([
      MASKED,
    ]);
    expect((await json(get('/api/webhooks/slack'))).url).toBe(MASKED);
    const put = await send('PUT', '/api/webhooks/slack', { url: SLACK, enabled: false });
    expect((await json(put)).url).toBe(MASKED);
    for (const response of [get('/api/webhooks'), get('/api/webhooks/slack')])
      expect(await (await response).text()).not.toContain('secret-token');
    expect(store.getWebhook('slack')!.url).toBe(SLACK);
  });

  it('PUT without `url`, or with it masked as fetched, keeps the stored URL', async () => {
    const { store, send, get } = api();
    await send('PUT', '/api/webhooks/slack', { url: SLACK });
    const changed = await send('PUT', '/api/webhooks/slack', { severities: ['critical'] });
    expect(changed.status).toBe(200);
    expect(store.getWebhook('slack')).toMatchObject({ url: SLACK, severities: ['critical'] });
    // A client that puts back what it fetched, with one field changed.
    const fetched = await json(get('/api/webhooks/slack'));
    expect((await send('PUT', '/api/webhooks/slack', { ...fetched, enabled: false })).status).toBe(
      200,
    );
    expect(store.getWebhook('slack')).toMatchObject({ url: SLACK, enabled: false });
    const nothingStored = await send('PUT', '/api/webhooks/other', { enabled: false });
    expect(nothingStored.status).toBe(400);
    expect(await nothingStored.json()).toEqual({
      error: 'Missing `url`: expected an http or https URL',
    });
    const masked = await send('POST', '/api/webhooks', { url: MASKED });
    expect(await masked.json()).toEqual({
      error:
        'url: https://hooks.slack.com/… is a masked URL, as the API shows it; send the whole URL, or leave `url` out to keep the stored one',
    });
  });

  it.each([
    ['http://10.0.0.5/hook', '10.0.0.5 is a private address', true],
    ['http://0x7f.1:9000/hook', '127.0.0.1 is a loopback address', true],
    ['http://localhost:9000/hook', 'localhost is a loopback name', true],
    [
      'http://[::ffff:127.0.0.1]/hook',
      '::ffff:7f00:1 is a loopback address (it carries the IPv4 address 127.0.0.1)',
      true,
    ],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a link-local address', false],
    ['http://0.0.0.0:9000/hook', '0.0.0.0 is an unspecified address', false],
  ])('refuses %s with a one-line 400, by POST and PUT', async (url, what, opened) => {
    const { store, send } = api();
    const hint = opened
      ? 'start with --allow-private-webhooks for local receivers'
      : 'not even with --allow-private-webhooks';
    const error = `url: ${what}; webhooks may not target it (${hint})`;
    for (const [method, path] of [
      ['POST', '/api/webhooks'],
      ['PUT', '/api/webhooks/w'],
    ] as const) {
      const response = await send(method, path, { url });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error });
    }
    expect(store.listWebhooks()).toEqual([]);
  });

  it('with allowPrivateWebhooks takes loopback and private receivers, never link-local', async () => {
    const { send } = api({ allowPrivateWebhooks: true });
    expect(
      (await send('POST', '/api/webhooks', { url: 'http://127.0.0.1:9000/hook' })).status,
    ).toBe(201);
    expect((await send('POST', '/api/webhooks', { url: 'http://10.0.0.5/hook' })).status).toBe(201);
    expect((await send('POST', '/api/webhooks', { url: 'http://169.254.169.254/' })).status).toBe(
      400,
    );
  });
});

describe('POST only creates', () => {
  it('a POST whose id exists is a 409 and changes nothing; PUT /:id replaces', async () => {
    const { store, send } = api();
    await send('POST', '/api/webhooks', { id: 'slack', url: SLACK });
    const again = await send('POST', '/api/webhooks', {
      id: 'slack',
      url: 'https://attacker.example/hook',
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      error: 'a webhook with id "slack" exists; POST only creates, PUT to its id replaces it',
    });
    expect(store.getWebhook('slack')!.url).toBe(SLACK);
    const rule = { id: 'tight', name: 'tight', kind: 'rate_limited', severity: 'critical' };
    expect((await send('POST', '/api/rules', rule)).status).toBe(201);
    expect((await send('POST', '/api/rules', { ...rule, name: 'other' })).status).toBe(409);
    expect(store.getRule('tight')!.name).toBe('tight');
    const ceiling = { id: 'c', key: 'prod', provider: 'openai', model: '*', rpm: 10 };
    expect((await send('POST', '/api/ceilings', ceiling)).status).toBe(201);
    expect((await send('POST', '/api/ceilings', { ...ceiling, rpm: 99 })).status).toBe(409);
    expect((await send('PUT', '/api/ceilings/c', { ...ceiling, rpm: 99 })).status).toBe(200);
    expect(store.getCeiling('c')!.rpm).toBe(99);
  });
});

describe('/metrics', () => {
  it('counts webhook notifications held back, from zero', async () => {
    const { get } = api();
    const text = await (await get('/metrics')).text();
    expect(text).toContain(
      '# TYPE headroom_webhook_notifications_suppressed_total counter\nheadroom_webhook_notifications_suppressed_total 0\n',
    );
  });

  it('shows what the notifier held back', async () => {
    const notifier = new WebhookNotifier({
      fetch: async () => new Response('ok'),
      maxPerAlertPerMinute: 1,
      now: () => START,
      log: () => {},
    });
    const hook = { id: 'h', url: SLACK, severities: [], enabled: true, updatedAt: START };
    for (const reason of ['opened', 'resolved', 'opened', 'resolved'] as const)
      await notifier.notify([notice(hook, reason)]);
    const { get } = api({ notifier });
    expect(await (await get('/metrics')).text()).toContain(
      '\nheadroom_webhook_notifications_suppressed_total 2\n',
    );
  });
});
