import { createHmac } from 'node:crypto';

/**
 * The dashboard's cookie (EventSource cannot send an Authorization header). Browsers send a
 * host's cookies to every port of it (RFC 6265 §8.5), so the name carries this collector's port,
 * and the value is an HMAC of the token under this collector's own secret, never the token: a
 * server on another port of 127.0.0.1 that receives it learns neither the token (which also lets
 * replicas send telemetry and Prometheus scrape) nor a cookie any other collector accepts.
 */
export function sessionCookieName(url: string): string {
  const { port, protocol } = new URL(url);
  return `headroom_session_${port || (protocol === 'https:' ? '443' : '80')}`;
}

export function sessionCookieValue(token: string, secret: string | Uint8Array): string {
  return createHmac('sha256', secret)
    .update(`headroom dashboard session\u0000${token}`)
    .digest('base64url');
}
