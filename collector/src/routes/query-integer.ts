import type { Context } from 'hono';
import { httpError } from '../http-error.js';

/** The query parameter `name` as an integer in `min..max`; undefined when absent, a 400 when not. */
export function queryInteger(
  c: Context,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const text = c.req.query(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw httpError(
      400,
      `Expected \`${name}\` to be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}
