// @vitest-environment node

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, resources, startCollector, waitFor } from './harness.js';

/** A name the browser resolves to 127.0.0.1, as a rebinding attacker's name would after the switch. */
const REBOUND = 'rebind.headroom.test';

const open = resources();
let browser: Browser;
let collector: Awaited<ReturnType<typeof startCollector>>;
let attacker: { url: string };

/** The configuration as the API shows it, to compare before and after. */
async function configuration() {
  const read = async (path: string) => (await fetch(`${collector.url}/api/${path}`)).json();
  return {
    ceilings: await read('ceilings'),
    rules: await read('rules'),
    webhooks: await read('webhooks'),
  };
}

/** Another site's page, served from 127.0.0.2, that tries to change the collector on load. */
function attackPage(target: string, ruleId: string): string {
  const ceiling = JSON.stringify({ key: 'evil', provider: 'openai', model: '*', rpm: 1 });
  return `<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="form" method="POST" action="${target}/api/rules" enctype="text/plain" target="sink">
  <input name='{"name":"off","kind":"rate_limited","severity":"warning","threshold":1,"x":"' value='"}'>
</form>
<script>
const results = {};
(async () => {
  // No preflight: the browser sends these, the collector must refuse them.
  await fetch('${target}/api/ceilings', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(ceiling)} }).catch(() => {});
  await fetch('${target}/api/rules/${ruleId}', { method: 'POST', mode: 'no-cors', body: '{"enabled":false}' }).catch(() => {});
  // These need a preflight the collector never answers: the browser must not send them.
  results.delete = await fetch('${target}/api/rules/${ruleId}', { method: 'DELETE' }).then(() => 'sent', () => 'blocked');
  results.json = await fetch('${target}/api/webhooks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"url":"https://example.com/x"}' }).then(() => 'sent', () => 'blocked');
  results.read = await fetch('${target}/api/webhooks').then((r) => r.text(), () => 'blocked');
  document.getElementById('form').submit();
  results.done = true;
  window.results = results;
})();
</script></body></html>`;
}

describe.skipIf(!hasChromium)('another origin cannot change the collector (Chromium)', () => {
  beforeAll(async () => {
    collector = await startCollector(open.directory());
    open.add(() => collector.stop());
    browser = await launchBrowser([`--host-resolver-rules=MAP ${REBOUND} 127.0.0.1`]);
    open.add(() => browser.close());
    let page = '';
    const server: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    open.add(() => new Promise((resolve) => server.close(resolve)));
    attacker = { url: `http://127.0.0.2:${(server.address() as AddressInfo).port}` };
    const rules = (await (await fetch(`${collector.url}/api/rules`)).json()) as Array<{
      id: string;
    }>;
    page = attackPage(collector.url, rules[0]!.id);
  }, 60_000);
  afterAll(() => open.close());

  it('text/plain POSTs, a form post and preflighted requests from 127.0.0.2 change nothing', async () => {
    const before = await configuration();
    const context = await browser.newContext();
    const tab = await context.newPage();
    const answers: Array<{ method: string; path: string; outcome: string | number }> = [];
    // What the browser saw come back. The no-cors fetches reached the collector, whose answer the
    // browser then withheld from the page for its Cross-Origin-Resource-Policy; the form's
    // navigation shows the collector's own status.
    tab.on('requestfailed', (request) => {
      const url = new URL(request.url());
      if (url.origin === collector.url)
        answers.push({
          method: request.method(),
          path: url.pathname,
          outcome: request.failure()?.errorText ?? '',
        });
    });
    tab.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin === collector.url)
        answers.push({
          method: response.request().method(),
          path: url.pathname,
          outcome: response.status(),
        });
    });
    await tab.goto(attacker.url);
    const results = await waitFor(
      () =>
        tab.evaluate(() => (window as unknown as { results?: Record<string, unknown> }).results),
      20_000,
      'the attack page',
    );
    await waitFor(
      () =>
        answers.some((answer) => answer.path === '/api/rules' && answer.method === 'POST')
          ? true
          : undefined,
      20_000,
      'the form post',
    );
    expect(answers).toEqual(
      expect.arrayContaining([
        {
          method: 'POST',
          path: '/api/ceilings',
          outcome: 'net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin',
        },
        {
          method: 'POST',
          path: expect.stringMatching(/^\/api\/rules\/.+/),
          outcome: 'net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin',
        },
        { method: 'POST', path: '/api/rules', outcome: 403 },
      ]),
    );
    expect(results).toMatchObject({
      delete: 'blocked',
      json: 'blocked',
      read: 'blocked',
      done: true,
    });
    expect(await configuration()).toEqual(before);
    await context.close();
  }, 30_000);

  it('a rebinding-style Host is refused: the page, the reads and same-origin JSON writes', async () => {
    const before = await configuration();
    const context = await browser.newContext();
    const tab = await context.newPage();
    const rebound = `http://${REBOUND}:${collector.port}`;
    const navigation = await tab.goto(`${rebound}/`);
    expect(navigation?.status()).toBe(403);
    const statuses = await tab.evaluate(async () => {
      const write = await fetch('/api/webhooks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://example.com/hook' }),
      });
      const read = await fetch('/api/webhooks');
      const snapshot = await fetch('/api/snapshot');
      return [write.status, read.status, snapshot.status];
    });
    expect(statuses).toEqual([403, 403, 403]);
    expect(await configuration()).toEqual(before);
    await context.close();
  });

  it('the dashboard itself loads under its CSP and writes from its own origin', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const violations: string[] = [];
    tab.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await tab.goto(`${collector.url}/`);
    await tab.waitForSelector('h1, h2', { timeout: 20_000 });
    const status = await tab.evaluate(async () => {
      const response = await fetch('api/ceilings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'own', provider: 'openai', model: '*', rpm: 100 }),
      });
      const { id } = (await response.json()) as { id: string };
      await fetch(`api/ceilings/${id}`, { method: 'DELETE' });
      return response.status;
    });
    expect(status).toBe(201);
    expect(violations).toEqual([]);
    await context.close();
  });
});
