import { createHash } from 'node:crypto';

const cache = new Map<string, string>();

/**
 * A short, non-reversible name for an API key: `key-` and the first 8 hex digits of its SHA-256.
 * 32 bits tell a handful of keys apart without giving anything back of the key itself; the key
 * is never exported.
 */
export function keyFingerprint(apiKey: string | null | undefined): string {
  if (!apiKey) return 'unknown';
  let fingerprint = cache.get(apiKey);
  if (fingerprint === undefined) {
    fingerprint = 'key-' + createHash('sha256').update(apiKey).digest('hex').slice(0, 8);
    // Bounded: an app that mints keys per request must not grow this map without end.
    if (cache.size >= 1024) cache.clear();
    cache.set(apiKey, fingerprint);
  }
  return fingerprint;
}
