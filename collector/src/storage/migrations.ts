import type { Database } from 'better-sqlite3';

/**
 * Schema steps; `PRAGMA user_version` counts how many have run. Append, never edit: a database
 * created by an older headroom runs only the steps after its version.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ceilings (
    id TEXT PRIMARY KEY NOT NULL,
    key TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    rpm INTEGER,
    tpm INTEGER,
    concurrency INTEGER,
    note TEXT,
    updated_at INTEGER NOT NULL,
    UNIQUE (key, provider, model)
  ) STRICT;

  CREATE TABLE rules (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    threshold REAL NOT NULL,
    within_seconds INTEGER,
    for_seconds INTEGER NOT NULL,
    clear_margin REAL NOT NULL,
    selector TEXT NOT NULL,
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    url TEXT NOT NULL,
    severities TEXT NOT NULL,
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    updated_at INTEGER NOT NULL
  ) STRICT;

  -- AUTOINCREMENT: a sequence is never handed out twice, even after the newest rows are pruned.
  CREATE TABLE transitions (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id TEXT NOT NULL,
    series TEXT NOT NULL,
    state TEXT NOT NULL,
    severity TEXT NOT NULL,
    value REAL NOT NULL,
    threshold REAL NOT NULL,
    at INTEGER NOT NULL,
    diagnosis TEXT
  ) STRICT;
  CREATE INDEX transitions_by_rule ON transitions (rule_id, sequence);
  CREATE INDEX transitions_by_time ON transitions (at);

  CREATE TABLE rollups (
    minute INTEGER NOT NULL,
    key TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    requests INTEGER NOT NULL,
    rate_limited INTEGER NOT NULL,
    calls INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    peak_active INTEGER NOT NULL,
    replicas INTEGER NOT NULL,
    PRIMARY KEY (minute, key, provider, model)
  ) STRICT, WITHOUT ROWID;
  `,
  // 2: incidents, the incident each alert transition belongs to, and webhooks' grouping.
  `
  CREATE TABLE incidents (
    id TEXT PRIMARY KEY NOT NULL,
    subject TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
    opened_at INTEGER NOT NULL,
    resolved_at INTEGER,
    body TEXT NOT NULL
  ) STRICT;
  CREATE INDEX incidents_by_state ON incidents (state, resolved_at);
  ALTER TABLE transitions ADD COLUMN incident_id TEXT;
  -- How a webhook is told of incidents; NULL: the default.
  ALTER TABLE webhooks ADD COLUMN group_wait_seconds INTEGER;
  ALTER TABLE webhooks ADD COLUMN repeat_interval_seconds INTEGER;
  ALTER TABLE webhooks ADD COLUMN send_updates INTEGER CHECK (send_updates IN (0, 1));
  ALTER TABLE webhooks ADD COLUMN send_resolved INTEGER CHECK (send_resolved IN (0, 1));
  `,
  // 3: the guard's levels in each minute's rollup; NULL where no guard is on the key (and in
  // every row written before).
  `
  ALTER TABLE rollups ADD COLUMN peak_guard_waiting INTEGER;
  ALTER TABLE rollups ADD COLUMN peak_active_at_provider INTEGER;
  `,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database up to `SCHEMA_VERSION`, each step in its own transaction. */
export function migrate(database: Database, path: string): void {
  const version = database.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `${path} has schema version ${version}, newer than the ${SCHEMA_VERSION} this headroom ` +
        `knows; upgrade headroom`,
    );
  }
  for (let step = version; step < SCHEMA_VERSION; step++) {
    database.transaction(() => {
      database.exec(MIGRATIONS[step]!);
      database.pragma(`user_version = ${step + 1}`);
    })();
  }
}
