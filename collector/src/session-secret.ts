import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SESSION_SECRET_FILE = 'session-secret';

/**
 * This collector's secret for the dashboard's session cookie, kept in its data directory (mode
 * 0600) so the dashboard stays signed in across restarts, and its own: another collector, with
 * another directory, derives other cookies from the same token. Without a directory it lives as
 * long as the process.
 */
export function sessionSecret(directory: string | undefined): Buffer {
  if (directory === undefined) return randomBytes(32);
  const path = join(directory, SESSION_SECRET_FILE);
  try {
    const stored = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (stored.length >= 32) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32);
  writeFileSync(path, `${secret.toString('hex')}\n`, { mode: 0o600 });
  return secret;
}
