import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { httpError } from '../http-error.js';

export interface AllowedHostsOptions {
  /**
   * Names served besides loopback ones and IP addresses: `collector.internal` exactly, or
   * `.example.com` for it and every name under it.
   */
  hosts?: readonly string[];
}

/**
 * Answers 403 to a request whose Host is a name this collector was not told it has, before any
 * route runs: the defence against DNS rebinding, where a page on `evil.example` re-points its
 * name to 127.0.0.1 and then reads the API as a same-origin page (the hole Vite, webpack-dev-server
 * and Jupyter closed the same way). IP addresses are always served: rebinding needs a name, and a
 * page that talks to an address by address has that address as its origin. `localhost` and
 * `*.localhost` resolve to loopback inside the browser itself (RFC 6761 §6.3), so no DNS answer
 * can re-point them. The host is read from the request URL, which holds the Host header or the
 * absolute-form target, whichever the server went by.
 */
export function allowedHosts({ hosts = [] }: AllowedHostsOptions = {}): MiddlewareHandler {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const host of hosts) {
    const name = normalize(host);
    if (name === '') continue;
    if (name.startsWith('.')) suffixes.push(name);
    else exact.add(name);
  }
  return async function allowedHosts(c, next) {
    const hostname = new URL(c.req.url).hostname;
    if (!isAllowed(normalize(hostname), exact, suffixes)) {
      throw httpError(
        403,
        `Host ${JSON.stringify(hostname)} is not served here: start headroom with --allowed-host ${hostname} to serve it`,
      );
    }
    await next();
  };
}

function isAllowed(name: string, exact: Set<string>, suffixes: readonly string[]): boolean {
  if (isIP(name.replace(/^\[|\]$/g, '')) !== 0) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (exact.has(name)) return true;
  return suffixes.some((suffix) => name === suffix.slice(1) || name.endsWith(suffix));
}

/** Lower case without a trailing dot: `LocalHost.` and `localhost` are one name. */
function normalize(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}
