import type { MiddlewareHandler } from 'hono';
import { httpError } from '../http-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Fetch metadata values of requests a page of this origin, or the user, made (W3C Fetch Metadata). */
const OWN_SITES = new Set(['same-origin', 'none']);

/**
 * Changes to the configuration come from this collector's own page or from a program, never from
 * another site's page. An unsafe request (anything but GET, HEAD and OPTIONS)
 * - must be `application/json` when it has a body: a cross-site page can send `text/plain`, a
 *   form or `multipart/form-data` without a CORS preflight, never JSON;
 * - must not come from another origin: `Sec-Fetch-Site` (sent by every current browser) must be
 *   `same-origin` or `none`, and an `Origin` header, where there is one, must be this one.
 *   Programs (curl, the SDK, scripts) send neither and pass. A request authenticated with the
 *   bearer token passes too: no page can attach that header to a cross-site request unasked.
 *
 * Hono's `csrf` middleware checks the same headers, but only for form content types; here every
 * unsafe request is checked, JSON too, so the rule does not lean on the browser's preflight alone.
 */
export function sameOriginWrites(): MiddlewareHandler {
  return async function sameOriginWrites(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    if (c.get('authenticatedBy') !== 'bearer') {
      const site = c.req.header('sec-fetch-site');
      if (site !== undefined && !OWN_SITES.has(site.toLowerCase())) {
        throw httpError(
          403,
          `refused a ${site} ${c.req.method}: only this collector's own page may change it`,
        );
      }
      const origin = c.req.header('origin');
      const own = new URL(c.req.url).origin;
      if (origin !== undefined && origin !== own) {
        throw httpError(
          403,
          `refused a ${c.req.method} from origin ${origin}: only ${own} may change this collector`,
        );
      }
    }
    const hasBody =
      c.req.header('transfer-encoding') !== undefined ||
      Number(c.req.header('content-length') ?? 0) > 0;
    const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if ((c.req.method !== 'DELETE' || hasBody) && contentType !== 'application/json') {
      throw httpError(
        415,
        `content-type ${contentType || '(none)'} is not accepted for ${c.req.method}: send application/json`,
      );
    }
    await next();
  };
}
