import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Collector } from '../collector.js';
import { httpError } from '../http-error.js';
import {
  type Frame,
  GZIP_HEADER,
  gzipSegment,
  LiveFeed,
  type LiveFeedOptions,
} from './live-feed.js';

export interface LiveOptions extends LiveFeedOptions {
  /** Seconds of history the first frame carries for a client that brings no `Last-Event-ID`. */
  initialSeconds?: number;
  /** Streams open at once; past it a new viewer gets 503 (each holds a socket and its buffers). */
  maxViewers?: number;
}

/**
 * `GET /api/live`: Server-Sent Events. Each `snapshot` frame carries the whole view now and the
 * chart history from the last second the client was sent up to now. That second comes again,
 * because it was still filling when it was sent: clients upsert history by second. The event id
 * is the last second sent; a client that reconnects with `Last-Event-ID` gets exactly the
 * seconds it missed (up to an hour), so its charts have no gap. Frames are built once for all
 * viewers (`LiveFeed`); a viewer too slow to take every frame skips to the newest with a
 * catch-up of the seconds it missed. A client that goes away only ends its own loop.
 */
export function liveRoute(
  collector: Collector,
  { initialSeconds = 300, maxViewers = 1000, ...feedOptions }: LiveOptions = {},
) {
  const feed = new LiveFeed(collector, feedOptions);
  return function live(c: Context) {
    if (feed.viewers >= maxViewers) {
      throw httpError(503, `${maxViewers} live viewers already: try again later`);
    }
    const lastEventId = Number.parseInt(
      c.req.header('last-event-id') ?? c.req.query('lastEventId') ?? '',
      10,
    );
    // Frames are ~0.6 KiB a series and compress 10-60 times: at hundreds of viewers the bytes,
    // not the building, are the cost.
    const gzip = acceptsGzip(c.req.header('accept-encoding'));
    if (gzip) {
      c.header('content-encoding', 'gzip');
      c.header('vary', 'accept-encoding');
    }
    const encode = gzip ? gzipSegment : (frame: Frame) => frame.bytes;
    feed.join();
    const response = streamSSE(c, async (stream) => {
      let aborted!: () => void;
      const gone = new Promise<undefined>((resolve) => {
        aborted = () => resolve(undefined);
      });
      let closed = false;
      stream.onAbort(() => {
        closed = true;
        aborted();
      });
      try {
        let frame = feed.catchUp(
          Number.isFinite(lastEventId) ? lastEventId : collector.view.second() - initialSeconds,
        );
        if (gzip) await stream.write(GZIP_HEADER);
        await stream.write(encode(frame));
        while (!closed) {
          const next = await Promise.race([feed.next(frame.sequence), gone]);
          if (next === undefined || closed) break;
          // Behind by more than the frame covers (a slow reader): the seconds it missed, alone.
          frame =
            next.fromSecond <= frame.second ? next : feed.catchUp(frame.second, { behind: true });
          await stream.write(encode(frame));
        }
      } finally {
        feed.leave();
      }
    });
    // Intermediaries must pass the segments through as they come, not re-encode them.
    response.headers.set('cache-control', 'no-cache, no-transform');
    return response;
  };
}

/** True when the client takes gzip (RFC 9110 §12.5.3), `gzip;q=0` meaning it does not. */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding, ...parameters] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip') return false;
    const q = parameters
      .map((parameter) => parameter.trim())
      .find((parameter) => parameter.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
