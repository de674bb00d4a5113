import type { ActiveAlert, History, Incident, LiveFrame, Snapshot } from '@headroom/contract/wire';
import { requestJson } from '../api/client';
import { type FrameMetrics, pageFrameMetrics, recordPaint } from './frame-metrics';
import {
  historyPath,
  RANGE_LABEL,
  RANGES,
  type RangeSeconds,
  resolutionOf,
  untilMinuteRefresh,
} from './ranges';
import { SeriesBuffers } from './series-buffers';

export { RANGES, type RangeSeconds } from './ranges';

/** `connecting` until the first frame; `retrying` while the stream is down; `live` while frames flow. */
export type Connection = 'connecting' | 'live' | 'retrying';

/** What React renders; a new object at most once per animation frame. */
export interface LiveState {
  connection: Connection;
  snapshot: Snapshot | undefined;
  alerts: readonly ActiveAlert[];
  /** Open now, then resolved in the last hour. */
  incidents: readonly Incident[];
  range: RangeSeconds;
  /** The history of a new range is being fetched. */
  rangeLoading: boolean;
  /** Why the last history fetch failed, if it did. */
  rangeError: string | undefined;
  /** Seconds per point of the range: 1 (live), or 60 (from the collector's rollups). */
  resolution: 1 | 60;
}

/** The part of the browser's EventSource the store uses; tests pass a double. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: 'snapshot', listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface LiveStoreOptions {
  url?: string;
  createEventSource?: (url: string) => EventSourceLike;
  fetchHistory?: (range: RangeSeconds) => Promise<History>;
  requestFrame?: (callback: () => void) => void;
  now?: () => number;
  /** Epoch ms: when a minute range refetches (just after each minute ends). */
  wallClock?: () => number;
  metrics?: FrameMetrics;
  /** No frame for this long (the collector sends a heartbeat every 5 s): reconnect. */
  staleMs?: number;
  /** Wait before a reconnect the store makes itself (after the browser gave up). */
  retryMs?: number;
}

const CLOSED = 2;
const NO_ALERTS: readonly ActiveAlert[] = [];
const NO_INCIDENTS: readonly Incident[] = [];

export type PaintListener = (buffers: SeriesBuffers, dataChanged: boolean) => void;

/**
 * The live connection and everything it brought: the latest snapshot and alerts, and the chart
 * history in ring buffers. A frame is parsed and upserted when it arrives; React and the charts
 * hear of it on the next animation frame, once, however many frames came in between.
 */
export class LiveStore {
  #state: Readonly<LiveState>;
  #buffers: SeriesBuffers;
  #source: EventSourceLike | undefined;
  #lastEventId: string | undefined;
  #lastFrameAt = 0;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  // A minute range's next refetch.
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = true;
  // Frames that arrive while a range's history is fetched are upserted after it, in order.
  #rangeQueue: History[] | undefined;
  #rangeRequest = 0;
  // Arrival times of the frames not painted yet. Preallocated: frames pile up only while the tab
  // is hidden (no animation frames), and past this many their times are not recorded.
  readonly #receivedAt = new Float64Array(256);
  #unpainted = 0;
  #dataChanged = false;
  #stateChanged = false;
  // The state as it will be painted: frames write into it, the paint copies it once.
  readonly #next: LiveState;
  #scheduled = false;
  readonly #listeners = new Set<() => void>();
  readonly #painters = new Set<PaintListener>();
  readonly #url: string;
  readonly #createEventSource: (url: string) => EventSourceLike;
  readonly #fetchHistory: (range: RangeSeconds) => Promise<History>;
  readonly #requestFrame: (callback: () => void) => void;
  readonly #now: () => number;
  readonly #wallClock: () => number;
  readonly #metrics: FrameMetrics;
  readonly #staleMs: number;
  readonly #retryMs: number;

  constructor({
    url = 'api/live',
    createEventSource = (target) => new EventSource(target),
    fetchHistory = (range) => requestJson<History>(historyPath(range)),
    requestFrame = (callback) => requestAnimationFrame(callback),
    now = () => performance.now(),
    wallClock = Date.now,
    metrics = pageFrameMetrics(),
    staleMs = 15_000,
    retryMs = 2_000,
  }: LiveStoreOptions = {}) {
    this.#url = url;
    this.#createEventSource = createEventSource;
    this.#fetchHistory = fetchHistory;
    this.#requestFrame = requestFrame;
    this.#now = now;
    this.#wallClock = wallClock;
    this.#metrics = metrics;
    this.#staleMs = staleMs;
    this.#retryMs = retryMs;
    this.#buffers = new SeriesBuffers(RANGES[0]);
    this.#state = {
      connection: 'connecting',
      snapshot: undefined,
      alerts: NO_ALERTS,
      incidents: NO_INCIDENTS,
      range: RANGES[0],
      rangeLoading: false,
      rangeError: undefined,
      resolution: 1,
    };
    this.#next = { ...this.#state };
  }

  getState = (): Readonly<LiveState> => this.#state;

  /** For `useSyncExternalStore`: called at most once per animation frame. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Charts: called on each painted animation frame with the buffers to `setData` from. */
  onPaint(painter: PaintListener): () => void {
    this.#painters.add(painter);
    return () => this.#painters.delete(painter);
  }

  get buffers(): SeriesBuffers {
    return this.#buffers;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#open();
    this.#watchdog = setInterval(() => this.#checkStale(), Math.min(5_000, this.#staleMs));
    if (resolutionOf(this.#next.range) !== 1 && !this.#next.rangeLoading) this.#scheduleRefresh();
  }

  stop(): void {
    this.#stopped = true;
    this.#source?.close();
    this.#source = undefined;
    clearInterval(this.#watchdog);
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#refreshTimer);
  }

  /**
   * Replaces the buffers with the collector's history of `range`. A live range (up to 1 h, 1 s
   * points) then goes on upserting the frames; a minute range (1-minute rollups) ignores them,
   * since a frame's seconds are not minutes, and refetches itself just after each minute ends.
   */
  async setRange(range: RangeSeconds): Promise<void> {
    if (range === this.#state.range && range === this.#next.range && !this.#next.rangeLoading)
      return;
    const request = ++this.#rangeRequest;
    clearTimeout(this.#refreshTimer);
    const resolution = resolutionOf(range);
    this.#buffers = new SeriesBuffers(range / resolution, resolution);
    this.#rangeQueue = resolution === 1 ? [] : undefined;
    this.#next.range = range;
    this.#next.resolution = resolution;
    this.#next.rangeLoading = true;
    this.#next.rangeError = undefined;
    this.#schedule(true);
    let rangeError: string | undefined;
    let history: History | undefined;
    try {
      history = await this.#fetchHistory(range);
    } catch (error) {
      rangeError = `Could not load ${RANGE_LABEL[range]} of history: ${(error as Error).message}`;
    }
    if (request !== this.#rangeRequest) return;
    if (history !== undefined) this.#buffers.upsert(history);
    for (const queued of this.#rangeQueue ?? []) this.#buffers.upsert(queued);
    this.#rangeQueue = undefined;
    this.#next.rangeLoading = false;
    this.#next.rangeError = rangeError;
    this.#schedule(true);
    if (resolution !== 1) this.#scheduleRefresh();
  }

  #scheduleRefresh(): void {
    clearTimeout(this.#refreshTimer);
    if (this.#stopped) return;
    this.#refreshTimer = setTimeout(
      () => void this.#refresh(),
      untilMinuteRefresh(this.#wallClock()),
    );
  }

  /**
   * A minute range, refetched whole and swapped in when it arrives: the same answer a reload
   * would get, so the chart never differs from the collector (a minute's zeros, a key gone).
   * A failed refetch keeps what is shown and says so until the next one succeeds.
   */
  async #refresh(): Promise<void> {
    const request = this.#rangeRequest;
    const range = this.#next.range;
    let history: History | undefined;
    let rangeError: string | undefined;
    try {
      history = await this.#fetchHistory(range);
    } catch (error) {
      rangeError = `Could not refresh ${RANGE_LABEL[range]} of history: ${(error as Error).message}`;
    }
    if (request !== this.#rangeRequest || this.#stopped) return;
    if (history !== undefined) {
      const buffers = new SeriesBuffers(this.#buffers.capacity, this.#buffers.step);
      buffers.upsert(history);
      this.#buffers = buffers;
    }
    this.#next.rangeError = rangeError;
    this.#schedule(true);
    this.#scheduleRefresh();
  }

  #open(): void {
    const url =
      this.#lastEventId === undefined
        ? this.#url
        : `${this.#url}${this.#url.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(this.#lastEventId)}`;
    const source = this.#createEventSource(url);
    this.#source = source;
    this.#lastFrameAt = this.#now();
    source.addEventListener('snapshot', (event) => {
      if (source === this.#source) this.#onFrame(event);
    });
    source.onerror = () => {
      if (source !== this.#source) return;
      this.#retrying();
      // CONNECTING: the browser retries by itself, with Last-Event-ID. CLOSED: it gave up
      // (an HTTP error or a wrong content type), so the store starts a new one, with the id.
      if (source.readyState === CLOSED) this.#reopenLater();
    };
  }

  #reopenLater(): void {
    this.#source?.close();
    this.#source = undefined;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      if (!this.#stopped) this.#open();
    }, this.#retryMs);
  }

  #checkStale(): void {
    if (this.#source === undefined || this.#now() - this.#lastFrameAt < this.#staleMs) return;
    // Open but silent past the heartbeat: a proxy or a sleeping laptop dropped it.
    this.#retrying();
    this.#reopenLater();
  }

  #onFrame(event: MessageEvent): void {
    const receivedAt = this.#now();
    let frame: LiveFrame;
    try {
      frame = JSON.parse(event.data as string) as LiveFrame;
    } catch {
      return;
    }
    this.#lastFrameAt = receivedAt;
    if (event.lastEventId) this.#lastEventId = event.lastEventId;
    if (this.#rangeQueue !== undefined) this.#rangeQueue.push(frame.history);
    else if (this.#buffers.step === 1) this.#buffers.upsert(frame.history);
    if (this.#unpainted < this.#receivedAt.length) this.#receivedAt[this.#unpainted] = receivedAt;
    this.#unpainted++;
    this.#next.connection = 'live';
    this.#next.snapshot = frame.snapshot;
    this.#next.alerts = frame.alerts ?? NO_ALERTS;
    this.#next.incidents = frame.incidents ?? NO_INCIDENTS;
    // A minute range's charts do not change with a frame, only the rest of the page does.
    this.#schedule(this.#buffers.step === 1);
  }

  #retrying(): void {
    if (this.#next.connection === 'retrying') return;
    this.#next.connection = 'retrying';
    this.#schedule(false);
  }

  #schedule(dataChanged: boolean): void {
    this.#stateChanged = true;
    if (dataChanged) this.#dataChanged = true;
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#requestFrame(this.#paint);
  }

  #paint = (): void => {
    this.#scheduled = false;
    if (this.#stateChanged) {
      this.#state = { ...this.#next };
      this.#stateChanged = false;
      for (const listener of this.#listeners) listener();
    }
    const dataChanged = this.#dataChanged;
    this.#dataChanged = false;
    for (const painter of this.#painters) painter(this.#buffers, dataChanged);
    const count = this.#unpainted;
    this.#unpainted = 0;
    if (count === 0) return;
    const snapshot = this.#state.snapshot;
    const hasData =
      snapshot !== undefined && (snapshot.keys.length > 0 || snapshot.nodes.length > 0);
    // React commits in a microtask after the store's notification, uPlot redraws in one after
    // setData; this one is queued after both, so it runs once the page is updated.
    queueMicrotask(() => recordPaint(this.#metrics, this.#receivedAt, count, this.#now(), hasData));
  };
}
