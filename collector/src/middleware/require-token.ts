import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { httpError } from '../http-error.js';

/** The cookie the dashboard authenticates with: EventSource cannot send an Authorization header. */
export const TOKEN_COOKIE = 'headroom_token';

/** Constant-time comparison, so the token cannot be found a character at a time. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  const expectedBytes = Buffer.from(expected);
  const givenBytes = Buffer.from(given ?? '');
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
}

/**
 * With a token configured, ingest and the API need `Authorization: Bearer <token>`, or the
 * dashboard's cookie (set by opening `/?token=<token>` once; SameSite=Strict, so other sites'
 * pages cannot use it).
 */
export function requireToken(token: string | undefined): MiddlewareHandler {
  return async function requireToken(c, next) {
    if (token === undefined) return next();
    const header = c.req.header('authorization') ?? '';
    const bearer = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (tokenMatches(token, bearer) || tokenMatches(token, getCookie(c, TOKEN_COOKIE)))
      return next();
    c.header('www-authenticate', 'Bearer');
    throw httpError(401, 'missing or wrong bearer token');
  };
}
