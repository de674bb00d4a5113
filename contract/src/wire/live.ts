import type { ActiveAlert } from './alerts.js';
import type { History } from './history.js';
import type { Snapshot } from './snapshot.js';

/**
 * The data of one `snapshot` event of `GET /api/live` (Server-Sent Events): the whole view now,
 * the chart history since the last second the client was sent (that second again: upsert by
 * second), and the alerts active now. The event id is the frame's last second.
 */
export interface LiveFrame {
  snapshot: Snapshot;
  history: History;
  alerts: ActiveAlert[];
}
