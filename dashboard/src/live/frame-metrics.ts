/**
 * What the dashboard benchmark reads from `window.__headroom`: frames painted, when the first
 * frame with data was painted (performance.now()), and for each frame the milliseconds from its
 * arrival to its paint.
 */
export interface FrameMetrics {
  frames: number;
  firstDataAt: number | undefined;
  frameTimes: number[];
}

/** Frame times kept; older ones are dropped in halves so a page left open does not grow. */
const MAX_FRAME_TIMES = 10_000;

declare global {
  interface Window {
    __headroom?: FrameMetrics;
  }
}

/** The page's metrics object, created on first use and shared by every store of the page. */
export function pageFrameMetrics(): FrameMetrics {
  if (typeof window === 'undefined') return { frames: 0, firstDataAt: undefined, frameTimes: [] };
  window.__headroom ??= { frames: 0, firstDataAt: undefined, frameTimes: [] };
  return window.__headroom;
}

/**
 * Records the `count` frames of one paint; the arrival times of the first of them are in
 * `receivedAt` (frames past its length are counted without a time).
 */
export function recordPaint(
  metrics: FrameMetrics,
  receivedAt: Float64Array,
  count: number,
  paintedAt: number,
  hasData: boolean,
): void {
  if (count === 0) return;
  metrics.frames += count;
  if (hasData && metrics.firstDataAt === undefined) metrics.firstDataAt = paintedAt;
  const timed = Math.min(count, receivedAt.length);
  if (metrics.frameTimes.length + timed > MAX_FRAME_TIMES)
    metrics.frameTimes.splice(0, MAX_FRAME_TIMES / 2);
  for (let index = 0; index < timed; index++)
    metrics.frameTimes.push(paintedAt - receivedAt[index]!);
}
