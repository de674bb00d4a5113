import { constants, deflateRawSync } from 'node:zlib';
import type { LiveFrame } from '@headroom/contract';
import type { Collector } from '../collector.js';
import { history } from '../view/history.js';

/** Resolved incidents stay in the live frames this long, and at most this many. */
const RECENT_INCIDENT_MS = 60 * 60_000;
const RECENT_INCIDENTS_SENT = 20;

export interface LiveFeedOptions {
  /** Milliseconds between frames while data changes: 250 gives the 4 frames a second asked for. */
  intervalMs?: number;
  /** A frame at least this often even when nothing changed, so proxies keep the stream open. */
  heartbeatMs?: number;
}

/** One SSE `snapshot` frame, serialized once: the same bytes go to every viewer. */
export interface Frame {
  /** Counts frames of the feed, so a viewer knows which it has sent. */
  sequence: number;
  /** The first second of history in the frame; a viewer that has sent up to it can take the frame. */
  fromSecond: number;
  /** The last second in the frame, and its SSE id. */
  second: number;
  bytes: Uint8Array;
  /** The frame as one deflate segment of a gzip stream, made once on first use (`gzipSegment`). */
  deflated?: Uint8Array;
}

/**
 * A gzip member's header (RFC 1952 §2.3: deflate, no flags, no time, unknown OS). A gzipped live
 * stream is this header followed by each frame's own deflate segment.
 */
export const GZIP_HEADER = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/**
 * The frame compressed on its own (a fresh dictionary) and ended with a sync flush instead of a
 * final block (RFC 1951 §3.2.4: an empty stored block): such segments can follow one another in
 * one deflate stream in any order, so every viewer gets the same compressed bytes, made once,
 * whatever frames it got before. The trailer never comes: the stream ends when the viewer goes.
 */
export function gzipSegment(frame: Frame): Uint8Array {
  frame.deflated ??= deflateRawSync(frame.bytes, {
    level: 1,
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  return frame.deflated;
}

const encoder = new TextEncoder();

/** Seconds of history every catch-up frame carries at least (see `catchUp`). */
const CATCH_UP_SECONDS = 30;

/**
 * The live stream's frames, built once per tick for all viewers: building the snapshot and the
 * history and serializing them is the expensive part, and it no longer grows with the number of
 * viewers. A frame carries the history from the previous frame's second to now, so a viewer that
 * sent the previous frame (or any frame of that second) loses nothing by taking it; one that fell
 * further behind gets a catch-up frame of its own. Frames are built only while someone watches.
 */
export class LiveFeed {
  readonly #collector: Collector;
  readonly #intervalMs: number;
  readonly #heartbeatMs: number;
  #latest: Frame | undefined;
  /** What the newest frame (or, before the first, the feed's start) showed: the next frame starts there. */
  #sentSecond = 0;
  #sentVersion = 0;
  #sentAt = 0;
  #viewers = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Viewers waiting for the next frame. */
  readonly #waiting = new Set<() => void>();
  /** The last catch-up frame: viewers that connect in the same second ask for the same one. */
  #catchUp: Frame | undefined;

  constructor(
    collector: Collector,
    { intervalMs = 250, heartbeatMs = 5000 }: LiveFeedOptions = {},
  ) {
    this.#collector = collector;
    this.#intervalMs = intervalMs;
    this.#heartbeatMs = heartbeatMs;
  }

  get viewers(): number {
    return this.#viewers;
  }

  /** A viewer arrives: frames are built from now on. Pair with `leave`. */
  join(): void {
    this.#viewers += 1;
    if (this.#timer !== undefined) return;
    this.#sentSecond = this.#collector.view.second();
    this.#sentVersion = this.#collector.version;
    this.#sentAt = Date.now();
    // A fixed cadence, not a timeout after each tick: the build's own time must not stretch it.
    this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
  }

  leave(): void {
    this.#viewers = Math.max(0, this.#viewers - 1);
    if (this.#viewers === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#latest = undefined;
      this.#catchUp = undefined;
      this.#waiting.clear();
    }
  }

  /** The newest frame, once there is one newer than `afterSequence`. */
  next(afterSequence: number): Promise<Frame> {
    const latest = this.#latest;
    if (latest !== undefined && latest.sequence > afterSequence) return Promise.resolve(latest);
    return new Promise((resolve) => {
      const wake = () => {
        const frame = this.#latest;
        if (frame === undefined || frame.sequence <= afterSequence) return;
        this.#waiting.delete(wake);
        resolve(frame);
      };
      this.#waiting.add(wake);
    });
  }

  /**
   * A frame with the history from `fromSecond` to now, for a viewer that is not in step. One that
   * connects gets exactly the seconds it asked for (viewers that connect in the same second with
   * the same start share one frame). One too slow to take every frame (`behind`) gets at least
   * the last `CATCH_UP_SECONDS`, and shares any frame of this second that starts no later than
   * it needs (more history is only upserted again): one such frame a second at most, however
   * many viewers fall behind. The frame may be a tick old, but it carries the sequence it was
   * built at, so its viewer takes the newest frame right after.
   */
  catchUp(fromSecond: number, { behind = false } = {}): Frame {
    const second = this.#collector.view.second();
    const cached = this.#catchUp;
    if (
      cached !== undefined &&
      cached.second === second &&
      (behind ? cached.fromSecond <= fromSecond : cached.fromSecond === fromSecond)
    )
      return cached;
    const from = behind ? Math.min(fromSecond, second - CATCH_UP_SECONDS) : fromSecond;
    this.#catchUp = this.#build(from, second, this.#latest?.sequence ?? 0);
    return this.#catchUp;
  }

  #tick(): void {
    const second = this.#collector.view.second();
    const version = this.#collector.version;
    const now = Date.now();
    if (
      version === this.#sentVersion &&
      second === this.#sentSecond &&
      now - this.#sentAt < this.#heartbeatMs
    )
      return;
    this.#latest = this.#build(this.#sentSecond, second, (this.#latest?.sequence ?? 0) + 1);
    this.#sentSecond = second;
    this.#sentVersion = version;
    this.#sentAt = now;
    for (const wake of [...this.#waiting]) wake();
  }

  #build(fromSecond: number, second: number, sequence: number): Frame {
    const collector = this.#collector;
    const frame: LiveFrame = {
      snapshot: collector.snapshot(),
      history: history(collector.view, fromSecond, second),
      alerts: collector.activeAlerts(),
      incidents: [
        ...collector.openIncidents(),
        ...collector.recentIncidents({
          since: collector.view.now() - RECENT_INCIDENT_MS,
          limit: RECENT_INCIDENTS_SENT,
        }),
      ],
    };
    const data = JSON.stringify(frame);
    return {
      sequence,
      fromSecond,
      second,
      bytes: encoder.encode(`event: snapshot\ndata: ${data}\nid: ${second}\n\n`),
    };
  }
}
