import type { Incident } from '@headroom/contract';
import type { Database } from 'better-sqlite3';
import type { Store } from './store.js';

interface IncidentRow {
  id: string;
  subject: string;
  state: string;
  opened_at: number;
  resolved_at: number | null;
  body: string;
}

/** Incidents as JSON documents, with the columns they are looked up and pruned by. */
export function prepareIncidentTable(
  database: Database,
): Pick<Store, 'putIncidents' | 'listIncidents' | 'pruneIncidents'> {
  const put = database.prepare<IncidentRow>(`
    INSERT INTO incidents (id, subject, state, opened_at, resolved_at, body)
    VALUES (@id, @subject, @state, @opened_at, @resolved_at, @body)
    ON CONFLICT (id) DO UPDATE SET
      state = excluded.state, resolved_at = excluded.resolved_at, body = excluded.body`);
  const open = database.prepare<[], IncidentRow>(
    `SELECT * FROM incidents WHERE state = 'open' ORDER BY opened_at DESC`,
  );
  const resolved = database.prepare<[number], IncidentRow>(
    `SELECT * FROM incidents WHERE state = 'resolved' ORDER BY resolved_at DESC LIMIT ?`,
  );
  const prune = database.prepare<[number]>(
    `DELETE FROM incidents WHERE state = 'resolved' AND resolved_at < ?`,
  );
  const save = database.transaction((incidents: readonly Incident[]) => {
    for (const incident of incidents) {
      put.run({
        id: incident.id,
        subject: incident.subject,
        state: incident.state,
        opened_at: Math.floor(incident.openedAt),
        resolved_at: incident.resolvedAt === undefined ? null : Math.floor(incident.resolvedAt),
        body: JSON.stringify(incident),
      });
    }
  });
  return {
    putIncidents: (incidents) => save(incidents),
    listIncidents: ({ state, limit = 100 }) =>
      (state === 'open' ? open.all() : resolved.all(Math.min(Math.max(1, limit), 1000))).map(
        (row) => JSON.parse(row.body) as Incident,
      ),
    pruneIncidents: (olderThan) => prune.run(olderThan).changes,
  };
}
