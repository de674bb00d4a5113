import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { Collector } from '../src/collector.js';
import { json, resources } from './helpers.js';

const open = resources();
afterEach(() => open.close());

describe('dashboard at /', () => {
  it('serves the page, its hashed assets for good, falls back to the page, and never leaves its directory', async () => {
    const directory = open.directory();
    mkdirSync(join(directory, 'assets'));
    writeFileSync(join(directory, 'index.html'), '<!doctype html><title>Headroom</title>');
    writeFileSync(join(directory, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(directory, '..', 'secret.txt'), 'do not serve');
    const app = createApp(new Collector(), { dashboardDirectory: directory });
    const page = await app.request('http://localhost/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toBe('<!doctype html><title>Headroom</title>');
    const asset = await app.request('http://localhost/assets/index-abc123.js');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await (await app.request('http://localhost/alerts')).text()).toContain(
      '<title>Headroom</title>',
    );
    const outside = await app.request('http://localhost/%2e%2e/secret.txt');
    expect(await outside.text()).not.toContain('do not serve');
    const unknownApi = await app.request('http://localhost/api/nothing');
    expect(unknownApi.status).toBe(404);
    expect(await json(unknownApi)).toEqual({ error: 'no route for GET /api/nothing' });
  });

  it('says how to build the dashboard when it is not built', async () => {
    const response = await createApp(new Collector()).request('http://localhost/');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('npm run build');
  });
});

describe('dashboard with a token', () => {
  it('`/?token=` sets a SameSite session cookie the API then accepts; a wrong one does not', async () => {
    const directory = open.directory();
    writeFileSync(join(directory, 'index.html'), '<!doctype html>');
    const app = createApp(new Collector(), {
      token: 'secret-token',
      dashboardDirectory: directory,
    });
    expect((await app.request('http://localhost/api/snapshot')).status).toBe(401);
    const wrong = await app.request('http://localhost/?token=guess');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const right = await app.request('http://localhost/?token=secret-token');
    expect(right.status).toBe(302);
    expect(right.headers.get('location')).toBe('/');
    const cookie = right.headers.get('set-cookie')!;
    // Named after the port (cookies ignore ports), and derived from the token, never the token.
    expect(cookie).toMatch(/^headroom_session_80=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain('secret-token');
    const withCookie = await app.request('http://localhost/api/snapshot', {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(withCookie.status).toBe(200);
    const session = cookie.split(';')[0]!;
    const flipped = `${session.slice(0, -1)}${session.endsWith('A') ? 'B' : 'A'}`;
    for (const forged of ['headroom_session_80=secret-token', flipped]) {
      const response = await app.request('http://localhost/api/snapshot', {
        headers: { cookie: forged },
      });
      expect(response.status).toBe(401);
    }
    // Another collector with the same token derives another cookie.
    const other = createApp(new Collector(), {
      token: 'secret-token',
      dashboardDirectory: directory,
    });
    const elsewhere = await other.request('http://localhost/api/snapshot', {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(elsewhere.status).toBe(401);
  });
});
