import { isIP } from 'node:net';

/** True for 127.0.0.0/8, ::1 and `localhost`: addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * The collector accepts telemetry and changes alerting: reachable from other machines, it must
 * not be open to anyone who can connect.
 */
export function checkListenAddress(host: string, token: string | undefined): void {
  if (!isLoopback(host) && (token === undefined || token === '')) {
    throw new Error(
      `refusing to listen on ${host} without a token: pass --token (or HEADROOM_TOKEN), or listen on 127.0.0.1`,
    );
  }
}
