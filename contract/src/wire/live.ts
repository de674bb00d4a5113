import type { ActiveAlert } from './alerts.js';
import type { History } from './history.js';
import type { Incident } from './incidents.js';
import type { Snapshot } from './snapshot.js';

/**
 * The data of one `snapshot` event of `GET /api/live` (Server-Sent Events): the whole view now,
 * the chart history since the last second the client was sent (that second again: upsert by
 * second), the alerts active now and the incidents they form. The event id is the frame's last second.
 */
export interface LiveFrame {
  snapshot: Snapshot;
  history: History;
  alerts: ActiveAlert[];
  /** Incidents open now, and those resolved in the last hour (newest first). */
  incidents: Incident[];
}
