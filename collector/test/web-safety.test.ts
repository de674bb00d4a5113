import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { Collector } from '../src/collector.js';
import { startCollector } from '../src/start-collector.js';
import { openStore } from '../src/storage/index.js';
import { json, resources } from './helpers.js';

const open = resources();
afterEach(() => open.close());

const CEILING = { key: 'prod', provider: 'openai', model: 'gpt-4o-mini', rpm: 500 };

function appWithStore(options: Parameters<typeof createApp>[1] = {}) {
  const store = openStore(open.directory());
  open.add(() => store.close());
  const collector = new Collector({ store });
  return { app: createApp(collector, options), store };
}

describe('Host allowlist (DNS rebinding)', () => {
  it('serves loopback names and IP addresses, and refuses other names before any route', async () => {
    const { app } = appWithStore();
    for (const host of [
      'localhost',
      'LOCALHOST.',
      'app.localhost',
      '127.0.0.1',
      '127.0.0.2',
      '[::1]',
      '10.1.2.3',
    ]) {
      const response = await app.request(`http://${host}:4800/api/snapshot`);
      expect(response.status, host).toBe(200);
    }
    for (const host of ['rebind.example', 'localhost.example', 'evil.test']) {
      const response = await app.request(`http://${host}:4800/api/ceilings`, {
        method: 'POST',
        body: JSON.stringify(CEILING),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status, host).toBe(403);
      expect((await json(response)).error).toBe(
        `Host "${host}" is not served here: start headroom with --allowed-host ${host} to serve it`,
      );
    }
    expect(await json(app.request('http://localhost/api/ceilings'))).toEqual([]);
  });

  it('serves the names it is given, exactly or with every name under a `.domain`', async () => {
    const { app } = appWithStore({ allowedHosts: ['collector.internal', '.corp.example'] });
    for (const [host, status] of [
      ['collector.internal', 200],
      ['corp.example', 200],
      ['a.b.corp.example', 200],
      ['other.internal', 403],
      ['evilcorp.example', 403],
    ] as const) {
      expect((await app.request(`http://${host}/healthz`)).status, host).toBe(status);
    }
  });

  it('a real socket: a rebinding-style Host header is refused, the absolute form too', async () => {
    const running = await startCollector({ port: 0, data: open.directory() });
    open.add(() => running.close());
    const raw = (path: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const request = httpRequest(
          { host: '127.0.0.1', port: running.port, path, headers: { host } },
          (response) => {
            response.resume();
            resolve(response.statusCode!);
          },
        );
        request.once('error', reject);
        request.end();
      });
    expect(await raw('/api/webhooks', `rebind.example:${running.port}`)).toBe(403);
    expect(await raw('/api/webhooks', `127.0.0.1:${running.port}`)).toBe(200);
    expect(
      await raw(`http://rebind.example:${running.port}/api/webhooks`, `127.0.0.1:${running.port}`),
    ).toBe(403);
  });
});

describe('writes only from this origin, as JSON', () => {
  const post = (headers: Record<string, string>, body = JSON.stringify(CEILING)) => ({
    method: 'POST',
    body,
    headers,
  });

  it('refuses text/plain, forms and multipart, which need no preflight', async () => {
    const { app } = appWithStore();
    for (const contentType of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await app.request(
        'http://localhost/api/ceilings',
        post({ 'content-type': contentType }),
      );
      expect(response.status, contentType).toBe(415);
    }
    // Bytes, not a string: a string body would be labelled text/plain by the Request itself.
    const none = await app.request('http://localhost/api/rules/any', {
      method: 'PUT',
      body: new TextEncoder().encode('{}'),
    });
    expect(none.status).toBe(415);
    expect((await json(none)).error).toBe(
      'content-type (none) is not accepted for PUT: send application/json',
    );
    expect(await json(app.request('http://localhost/api/ceilings'))).toEqual([]);
  });

  it('refuses another origin by Sec-Fetch-Site or Origin; its own page and programs pass', async () => {
    const { app } = appWithStore();
    const refused: Array<Record<string, string>> = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'http://127.0.0.2:4800' },
      { origin: 'null' },
      { origin: 'http://localhost:5173' },
    ];
    for (const headers of refused) {
      const response = await app.request(
        'http://localhost:4800/api/ceilings',
        post({ 'content-type': 'application/json', ...headers }),
      );
      expect(response.status, JSON.stringify(headers)).toBe(403);
    }
    const rules = await json(app.request('http://localhost:4800/api/rules'));
    const deleted = await app.request(`http://localhost:4800/api/rules/${rules[0]?.id ?? 'x'}`, {
      method: 'DELETE',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(deleted.status).toBe(403);
    const own = await app.request(
      'http://localhost:4800/api/ceilings',
      post({
        'content-type': 'application/json',
        'sec-fetch-site': 'same-origin',
        origin: 'http://localhost:4800',
      }),
    );
    expect(own.status).toBe(201);
    const program = await app.request(
      'http://localhost:4800/api/ceilings',
      post({ 'content-type': 'application/json' }, JSON.stringify({ ...CEILING, key: 'batch' })),
    );
    expect(program.status).toBe(201);
    expect((await json(app.request('http://localhost:4800/api/ceilings'))).length).toBe(2);
    expect((await json(app.request('http://localhost:4800/api/rules'))).length).toBe(rules.length);
  });

  it('with a token, the bearer header passes from anywhere; the cookie only from this origin', async () => {
    const { app } = appWithStore({ token: 'secret-token', sessionSecret: 'fixed' });
    const bearer = await app.request(
      'http://localhost/api/ceilings',
      post({
        'content-type': 'application/json',
        authorization: 'Bearer secret-token',
        'sec-fetch-site': 'cross-site',
      }),
    );
    expect(bearer.status).toBe(201);
    const login = await app.request('http://localhost/?token=secret-token');
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const crossSite = await app.request(
      'http://localhost/api/ceilings',
      post({ 'content-type': 'application/json', cookie, 'sec-fetch-site': 'cross-site' }),
    );
    expect(crossSite.status).toBe(403);
  });
});

describe('headers, URIs and bodies', () => {
  it('every answer carries the security headers, refusals and the page included', async () => {
    const { app } = appWithStore();
    for (const [url, status] of [
      ['http://localhost/', 404],
      ['http://localhost/api/snapshot', 200],
      ['http://evil.test/api/snapshot', 403],
      ['http://localhost/%E0%A4%A', 400],
    ] as const) {
      const response = await app.request(url);
      expect(response.status, url).toBe(status);
      expect(response.headers.get('content-security-policy'), url).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      );
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('a malformed percent-encoding is a 400, on the page and the API alike', async () => {
    const { app } = appWithStore();
    for (const path of ['/%E0%A4%A', '/api/%ZZ', '/assets/%C0%AF', '/%']) {
      const response = await app.request(`http://localhost${path}`);
      expect(response.status, path).toBe(400);
      expect((await json(response)).error).toMatch(/is not valid percent-encoded UTF-8$/);
    }
  });

  it('a chunked body is cut off at the limit while it is read, on ingest and on the API', async () => {
    const running = await startCollector({
      port: 0,
      data: open.directory(),
      bodyLimit: 1024 * 1024,
    });
    open.add(() => running.close());
    const chunked = (path: string, contentType: string) =>
      new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
        let sent = 0;
        let done = false;
        const request = httpRequest(
          {
            host: '127.0.0.1',
            port: running.port,
            path,
            method: 'POST',
            headers: { 'content-type': contentType, 'transfer-encoding': 'chunked' },
          },
          (response) => {
            done = true;
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => {
              body += chunk;
            });
            response.on('end', () => resolve({ status: response.statusCode!, body, sent }));
          },
        );
        request.once('error', (error) => (done ? undefined : reject(error)));
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        // Up to 64 MiB, far past the limit; the answer must come long before the end.
        const pump = () => {
          while (!done && sent < 64 * 1024 * 1024) {
            sent += chunk.length;
            if (!request.write(chunk)) return void request.once('drain', pump);
          }
          request.end();
        };
        pump();
      });
    const ingest = await chunked('/v1/metrics', 'application/json');
    expect(ingest.status).toBe(413);
    expect(JSON.parse(ingest.body)).toEqual({ error: 'body is over the 1048576-byte limit' });
    expect(ingest.sent).toBeLessThan(64 * 1024 * 1024);
    const api = await chunked('/api/ceilings', 'application/json');
    expect(api.status).toBe(413);
    expect(JSON.parse(api.body)).toEqual({ error: 'body is over the 65536-byte limit' });
    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('token mode', () => {
  it('slows guessing per client: after 10 wrong tokens a 429 with retry-after, the right token too', async () => {
    let now = 1_000_000;
    const collector = new Collector({ now: () => now });
    const app = createApp(collector, { token: 'secret-token' });
    const guess = (token: string) =>
      app.request('http://localhost/api/snapshot', {
        headers: { authorization: `Bearer ${token}` },
      });
    for (let attempt = 0; attempt < 10; attempt++)
      expect((await guess(`guess-${attempt}`)).status).toBe(401);
    const limited = await guess('secret-token');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await json(limited)).error).toBe(
      'too many failed authentications from this address; try again in 2 s',
    );
    expect((await app.request('http://localhost/?token=guess')).status).toBe(429);
    now += 2000;
    expect((await guess('secret-token')).status).toBe(200);
    expect((await guess('wrong')).status).toBe(401);
    expect((await guess('wrong')).status).toBe(429);
  });

  it('requests with no credential, and cross-site token links, cannot lock the address out', async () => {
    const collector = new Collector();
    const app = createApp(collector, { token: 'secret-token' });
    // What any page can make the browser send: no header, and not our SameSite=Strict cookie.
    for (let attempt = 0; attempt < 30; attempt++)
      expect((await app.request('http://127.0.0.1:4800/api/snapshot')).status).toBe(401);
    for (let attempt = 0; attempt < 30; attempt++) {
      const link = await app.request('http://127.0.0.1:4800/?token=guess', {
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      expect(link.status).toBe(403);
    }
    const replica = await app.request('http://127.0.0.1:4800/api/snapshot', {
      headers: { authorization: 'Bearer secret-token' },
    });
    expect(replica.status).toBe(200);
    // The user's own navigation may still try the link.
    const own = await app.request('http://127.0.0.1:4800/?token=secret-token', {
      headers: { 'sec-fetch-site': 'none' },
    });
    expect(own.status).toBe(302);
  });
});
