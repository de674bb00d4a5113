import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AuthFailures } from '../middleware/auth-failures.js';
import { clientAddress, refuseWhileWaiting, tokenMatches } from '../middleware/require-token.js';
import { sessionCookieName, sessionCookieValue } from '../middleware/session-cookie.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built dashboard at `/` (the page holds no data: everything it shows comes from the
 * API, behind the token when there is one). Paths are normalized inside the dashboard's directory, so
 * `..` cannot reach anything else; files under `assets/` carry content hashes and are cached for
 * good, `index.html` never. Any other path gets `index.html`, so the page's own routes reload.
 */
export function dashboardRoute(
  directory: string | undefined,
  session?: { token: string; secret: string | Uint8Array; failures: AuthFailures },
) {
  return async function dashboard(c: Context) {
    // `/?token=…` once: the page's API calls then carry a session cookie derived from the token,
    // and the token leaves the address bar at once.
    const offered = c.req.query('token');
    if (session !== undefined && offered !== undefined) {
      // Another site's page can load `/?token=guess` (an <img>, a frame) to burn this address's
      // attempts: only the user's own navigation, or a program, may try a token here.
      const site = c.req.header('sec-fetch-site');
      if (site !== undefined && site !== 'none' && site !== 'same-origin')
        return c.text('Open this link yourself: a token is not taken from another site.\n', 403);
      const client = clientAddress(c);
      refuseWhileWaiting(c, session.failures, client);
      if (!tokenMatches(session.token, offered)) {
        session.failures.fail(client);
        return c.text('Wrong token.\n', 401);
      }
      setCookie(
        c,
        sessionCookieName(c.req.url),
        sessionCookieValue(session.token, session.secret),
        { httpOnly: true, sameSite: 'Strict', path: '/' },
      );
      return c.redirect('/', 302);
    }
    if (directory === undefined) {
      return c.text(
        'The dashboard is not built: run `npm run build` (or `npm start`) in the Headroom repository.\n',
        404,
      );
    }
    const requested = decodeURIComponent(new URL(c.req.url).pathname).replace(/^\/+/, '');
    const path = normalize(join(directory, requested || 'index.html'));
    const inside = path.startsWith(directory.endsWith(sep) ? directory : directory + sep);
    const file = inside && (await isFile(path)) ? path : join(directory, 'index.html');
    if (!(await isFile(file))) {
      return c.text(
        'The dashboard is not built: run `npm run build` (or `npm start`) in the Headroom repository.\n',
        404,
      );
    }
    const hashed = file.includes(`${sep}assets${sep}`);
    return c.body(await readFile(file), 200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
