import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Headers on every response. The dashboard is one script and one stylesheet of its own origin
 * and talks only to this origin, so the policy allows nothing else; `frame-ancestors 'none'`
 * (and X-Frame-Options for older browsers) keeps other pages from framing it to steal clicks;
 * Cross-Origin-Resource-Policy keeps other pages from loading the API's JSON as a resource.
 * No HSTS: the collector speaks plain HTTP, and HSTS on `localhost` would break every other
 * local server the user runs.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
    strictTransportSecurity: false,
  });
}
