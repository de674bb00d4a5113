import type { Context } from 'hono';
import type { Collector } from '../collector.js';
import { httpError } from '../http-error.js';
import { history, MAX_HISTORY_SECONDS } from '../view/history.js';

/**
 * `GET /api/history?seconds=300` (or `from`/`to` in epoch seconds): chart-ready history at 1 s
 * resolution for up to the last hour.
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
