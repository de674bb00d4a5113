import { timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { httpError } from '../http-error.js';
import type { AuthFailures } from './auth-failures.js';
import { sessionCookieName, sessionCookieValue } from './session-cookie.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** How the request proved it knows the token; unset without a token. */
    authenticatedBy: 'bearer' | 'cookie';
  }
}

/** Constant-time comparison, so the token cannot be found a character at a time. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  const expectedBytes = Buffer.from(expected);
  const givenBytes = Buffer.from(given ?? '');
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
}

export interface RequireTokenOptions {
  token: string | undefined;
  /** The secret the dashboard's session cookie is derived under. */
  sessionSecret: string | Uint8Array;
  /** Failed attempts per client, to slow guessing down. */
  failures: AuthFailures;
}

/**
 * With a token configured, ingest and the API need `Authorization: Bearer <token>`, or the
 * dashboard's session cookie (set by opening `/?token=<token>` once; HttpOnly and
 * SameSite=Strict, so other sites' pages cannot use it). A client that failed too often is
 * answered 429 until it may try again.
 */
export function requireToken({
  token,
  sessionSecret,
  failures,
}: RequireTokenOptions): MiddlewareHandler {
  const session = token === undefined ? undefined : sessionCookieValue(token, sessionSecret);
  return async function requireToken(c, next) {
    if (token === undefined || session === undefined) return next();
    const client = clientAddress(c);
    refuseWhileWaiting(c, failures, client);
    const header = c.req.header('authorization') ?? '';
    const bearer = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (tokenMatches(token, bearer)) {
      c.set('authenticatedBy', 'bearer');
      return next();
    }
    const cookie = getCookie(c, sessionCookieName(c.req.url));
    if (bearer === undefined && tokenMatches(session, cookie)) {
      c.set('authenticatedBy', 'cookie');
      return next();
    }
    // Only a wrong credential counts as a guess: a request with none (an <img> on any page,
    // which can attach no header and, SameSite=Strict, not our cookie) must not be able to
    // lock the replicas that share this address out.
    if (c.req.header('authorization') !== undefined || cookie !== undefined) failures.fail(client);
    c.header('www-authenticate', 'Bearer');
    throw httpError(401, 'missing or wrong bearer token');
  };
}

/** 429 with `retry-after` while the client has used up its failed attempts. */
export function refuseWhileWaiting(c: Context, failures: AuthFailures, client: string): void {
  const waitMs = failures.waitMs(client);
  if (waitMs === 0) return;
  const seconds = Math.ceil(waitMs / 1000);
  c.header('retry-after', String(seconds));
  throw httpError(
    429,
    `too many failed authentications from this address; try again in ${seconds} s`,
  );
}

/** The peer's address; tests that call `app.request` have no socket and share one bucket. */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
