import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { httpError } from '../http-error.js';

/**
 * With a token configured, ingest and the API need `Authorization: Bearer <token>`. Compared in
 * constant time so the token cannot be found a character at a time.
 */
export function requireToken(token: string | undefined): MiddlewareHandler {
  const expected = token === undefined ? undefined : Buffer.from(token);
  return async function requireToken(c, next) {
    if (expected === undefined) return next();
    const header = c.req.header('authorization') ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      c.header('www-authenticate', 'Bearer');
      throw httpError(401, 'missing or wrong bearer token');
    }
    return next();
  };
}
