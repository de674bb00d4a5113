import type { Context } from 'hono';
import type { Collector } from '../collector.js';
import { httpError } from '../http-error.js';
import { history, MAX_HISTORY_SECONDS } from '../view/history.js';
import { MAX_HISTORY_MINUTES, rollupHistory } from '../view/rollup-history.js';

/**
 * `GET /api/history?seconds=300` (or `from`/`to` in epoch seconds): chart-ready history at 1 s
 * resolution for up to the last hour. `?minutes=1440`: 1-minute resolution from the rollups on
 * disk, up to 7 days, ending with the last minute that ended; the minutes not rolled up yet (the
 * rollup runs once a minute, not on the minute) come from the live view, so the last minute is
 * there as soon as it ends.
 */
export function historyRoute(collector: Collector) {
  return function historyHandler(c: Context) {
    const now = collector.view.second();
    const number = (name: string): number | undefined => {
      const text = c.req.query(name);
      if (text === undefined) return undefined;
      const value = Number(text);
      if (!Number.isInteger(value) || value < 0)
        throw httpError(
          400,
          `Expected \`${name}\` to be a whole number of seconds, got ${JSON.stringify(text)}`,
        );
      return value;
    };
    const minutes = number('minutes');
    if (minutes !== undefined) {
      if (minutes < 1 || minutes > MAX_HISTORY_MINUTES) {
        throw httpError(
          400,
          `Expected \`minutes\` to be from 1 to ${MAX_HISTORY_MINUTES}, got ${minutes}`,
        );
      }
      const toMinute = Math.floor(now / 60) - 1;
      const fromMinute = toMinute - minutes + 1;
      const { store, lastRollupMinute } = collector;
      // On disk: the minutes rolled up, or, before the first rollup, those before this process.
      const viewFrom =
        store === undefined
          ? fromMinute
          : lastRollupMinute === undefined
            ? Math.floor(collector.view.startedAt / 60_000)
            : lastRollupMinute + 1;
      const stored =
        store?.queryRollups({
          from: fromMinute * 60_000,
          to: Math.min(viewFrom, toMinute + 1) * 60_000,
        }) ?? [];
      const live = collector.minuteRows(Math.max(fromMinute, viewFrom), toMinute);
      return c.json(rollupHistory([...stored, ...live], fromMinute, toMinute));
    }
    const seconds = number('seconds');
    if (seconds !== undefined && (seconds < 1 || seconds > MAX_HISTORY_SECONDS)) {
      throw httpError(
        400,
        `Expected \`seconds\` to be from 1 to ${MAX_HISTORY_SECONDS}, got ${seconds}`,
      );
    }
    const to = number('to') ?? now;
    const from = number('from') ?? to - (seconds ?? 300) + 1;
    if (from > to) throw httpError(400, `\`from\` (${from}) is after \`to\` (${to})`);
    return c.json(history(collector.view, from, to));
  };
}
