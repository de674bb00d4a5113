import type { IncidentsResponse } from '@headroom/contract';
import type { Context } from 'hono';
import type { Collector } from '../collector.js';
import { queryInteger } from './query-integer.js';

/**
 * `GET /api/incidents?limit=&since=`: the incidents open now, the resolved ones (newest first,
 * at most `limit`, 1 to 200, default 50; `since` in ms keeps those resolved from then on), and
 * the alerts active now with the incident each is part of.
 */
export function incidentsRoute(collector: Collector) {
  return function incidents(c: Context) {
    const integer = (name: string, min: number, max: number) => queryInteger(c, name, min, max);
    const limit = integer('limit', 1, 200) ?? 50;
    const since = integer('since', 0, Number.MAX_SAFE_INTEGER);
    const response: IncidentsResponse = {
      open: collector.openIncidents(),
      recent: collector.recentIncidents({ limit, ...(since !== undefined && { since }) }),
      active: collector.activeAlerts(),
    };
    return c.json(response);
  };
}
