import type { AlertsResponse } from '@headroom/contract';
import type { Context } from 'hono';
import type { Collector } from '../collector.js';
import { httpError } from '../http-error.js';
import { queryInteger } from './query-integer.js';

const STATES = new Set(['pending', 'firing', 'resolved']);

/** `GET /api/alerts?since=&limit=&rule=&state=`: alerts active now and the history of transitions. */
export function alertsRoute(collector: Collector) {
  return function alerts(c: Context) {
    const integer = (name: string, min: number, max: number) => queryInteger(c, name, min, max);
    const state = c.req.query('state');
    if (state !== undefined && !STATES.has(state))
      throw httpError(
        400,
        `Expected \`state\` to be pending, firing or resolved, got ${JSON.stringify(state)}`,
      );
    const query: Parameters<Collector['transitions']>[0] = {};
    const since = integer('since', 0, Number.MAX_SAFE_INTEGER);
    const limit = integer('limit', 1, 1000);
    const rule = c.req.query('rule');
    if (since !== undefined) query.since = since;
    if (limit !== undefined) query.limit = limit;
    if (rule !== undefined) query.ruleId = rule;
    if (state !== undefined) query.state = state as 'pending' | 'firing' | 'resolved';
    const response: AlertsResponse = {
      active: collector.activeAlerts(),
      history: collector.transitions(query),
    };
    return c.json(response);
  };
}
