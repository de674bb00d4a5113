import { gunzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { httpError } from '../http-error.js';

/**
 * The request body as bytes, at most `limit` of them before and after gzip: a body that
 * announces or inflates to more is refused with 413 before it can fill memory.
 */
export async function readBody(c: Context, limit: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  if (declared > limit)
    throw httpError(413, `body of ${declared} bytes is over the ${limit}-byte limit`);
  const raw = new Uint8Array(await c.req.arrayBuffer());
  if (raw.byteLength > limit)
    throw httpError(413, `body of ${raw.byteLength} bytes is over the ${limit}-byte limit`);
  const encoding = (c.req.header('content-encoding') ?? 'identity').toLowerCase();
  if (encoding === 'identity') return raw;
  if (encoding !== 'gzip')
    throw httpError(415, `content-encoding ${encoding} is not supported (gzip or none)`);
  try {
    return gunzipSync(raw, { maxOutputLength: limit });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE')
      throw httpError(413, `gzip body inflates to over the ${limit}-byte limit`);
    throw httpError(400, `gzip body is corrupt: ${(error as Error).message}`);
  }
}
