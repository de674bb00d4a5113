import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { prepareCeilingTable } from './ceiling-table.js';
import { prepareIncidentTable } from './incident-table.js';
import { migrate } from './migrations.js';
import { prepareRollupTable } from './rollup-table.js';
import { prepareRuleTable } from './rule-table.js';
import type { Store } from './store.js';
import { prepareTransitionTable } from './transition-table.js';
import { prepareWebhookTable } from './webhook-table.js';

export const STORE_FILE_NAME = 'headroom.sqlite';

/** Opens (creating if needed) `<directory>/headroom.sqlite`, migrated to the current schema. */
export function openStore(directory: string): Store {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, STORE_FILE_NAME);
  const database = new Database(path);
  try {
    // WAL: a commit is one append to the log, and readers never block the writer.
    const mode = database.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`${path} cannot use WAL journal mode (got \`${mode}\`)`);
    // FULL: the WAL is synced on every commit, so an acknowledged write survives a crash of the
    // machine, not only of the process (NORMAL in WAL mode may lose the last commits on power loss).
    database.pragma('synchronous = FULL');
    // A second process (`headroom` CLI commands) may hold the write lock for a moment.
    database.pragma('busy_timeout = 5000');
    migrate(database, path);
    return {
      path,
      ...prepareCeilingTable(database),
      ...prepareRuleTable(database),
      ...prepareWebhookTable(database),
      ...prepareTransitionTable(database),
      ...prepareIncidentTable(database),
      ...prepareRollupTable(database),
      close: () => database.close(),
    };
  } catch (error) {
    database.close();
    throw error;
  }
}
