import type { MiddlewareHandler } from 'hono';
import { httpError } from '../http-error.js';

/**
 * A path that does not percent-decode (`/%E0%A4%A`) is a client's mistake: 400 here, before a
 * route that decodes it can fail with a 500.
 */
export function validUri(): MiddlewareHandler {
  return async function validUri(c, next) {
    const { pathname } = new URL(c.req.url);
    try {
      decodeURIComponent(pathname);
    } catch {
      throw httpError(400, `path ${JSON.stringify(pathname)} is not valid percent-encoded UTF-8`);
    }
    await next();
  };
}
