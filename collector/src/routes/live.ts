import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Collector } from '../collector.js';
import { history } from '../view/history.js';

export interface LiveOptions {
  /** Milliseconds between frames while data changes: 250 gives the 4 frames a second asked for. */
  intervalMs?: number;
  /** A frame at least this often even when nothing changed, so proxies keep the stream open. */
  heartbeatMs?: number;
  /** Seconds of history the first frame carries for a client that brings no `Last-Event-ID`. */
  initialSeconds?: number;
}

/**
 * `GET /api/live`: Server-Sent Events. Each `snapshot` frame carries the whole view now and the
 * chart history from the last second the client was sent up to now. That second comes again,
 * because it was still filling when it was sent: clients upsert history by second. The event id
 * is the last second sent; a client that reconnects with `Last-Event-ID` gets exactly the
 * seconds it missed (up to an hour), so its charts have no gap. A client that goes away only
 * ends its own loop.
 */
export function liveRoute(
  collector: Collector,
  { intervalMs = 250, heartbeatMs = 5000, initialSeconds = 300 }: LiveOptions = {},
) {
  return function live(c: Context) {
    const lastEventId = Number.parseInt(
      c.req.header('last-event-id') ?? c.req.query('lastEventId') ?? '',
      10,
    );
    return streamSSE(c, async (stream) => {
      let closed = false;
      stream.onAbort(() => {
        closed = true;
      });
      let sentSecond = Number.isFinite(lastEventId)
        ? lastEventId
        : collector.view.second() - initialSeconds;
      let sentVersion = -1;
      let sentAt = 0;
      while (!closed) {
        const second = collector.view.second();
        const version = collector.version;
        const now = Date.now();
        if (version !== sentVersion || second !== sentSecond || now - sentAt >= heartbeatMs) {
          const frame = {
            snapshot: collector.snapshot(),
            history: history(collector.view, sentSecond, second),
            alerts: collector.activeAlerts(),
          };
          await stream.writeSSE({
            event: 'snapshot',
            id: String(second),
            data: JSON.stringify(frame),
          });
          sentSecond = second;
          sentVersion = version;
          sentAt = now;
        }
        await stream.sleep(intervalMs);
      }
    });
  };
}
