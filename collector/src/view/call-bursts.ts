import type { CallBursts } from '@headroom/contract';

/** Calls in flight at once that no sequential code produces; the most a burst second needs. */
export const MAX_BURST_THRESHOLD = 10;
/** One or two calls in the same second are ordinary, whatever the quota. */
const MIN_BURST_THRESHOLD = 3;
/** A run of busy seconds longer than this is sustained traffic, not a burst. */
export const MAX_BURST_SECONDS = 3;
/** Bursts that make a train: two could be chance. */
export const MIN_TRAIN = 3;
/** How far a burst's size or a period may stray from the train's median and still be regular. */
const SIZE_TOLERANCE = 0.3;
const PERIOD_TOLERANCE = 0.5;
/** Share of the sizes, and of the periods, that must be within those tolerances. */
const REGULAR_SHARE = 0.75;
/** Share of the seconds that must carry an export for seconds to be told apart at all. */
const MIN_EXPORT_COVERAGE = 0.8;

/**
 * Calls started within one second that make a burst: the quota's per-second share (rpm/60, what
 * providers refuse past), but between 3 and 10; 10 with no rpm ceiling.
 */
export function burstThreshold(rpm: number | undefined): number {
  if (rpm === undefined) return MAX_BURST_THRESHOLD;
  return Math.min(MAX_BURST_THRESHOLD, Math.max(MIN_BURST_THRESHOLD, rpm / 60));
}

/**
 * The bursts of logical calls a key started over a window, second by second (oldest first):
 * runs of at most `MAX_BURST_SECONDS` seconds that each start at least `threshold` calls.
 * `inFlight` is the peak in flight of each second, `exported` whether any replica's export
 * reached the key in it. Null when the exports are too sparse to tell one second from the next
 * (a 60 s export interval puts a minute's calls in one second).
 */
export function callBursts(
  starts: readonly number[],
  inFlight: readonly number[],
  exported: readonly boolean[],
  threshold: number,
): CallBursts | null {
  const first = starts.findIndex((value) => value > 0);
  if (first === -1)
    return { count: 0, size: 0, periodSeconds: null, dutyCycle: 0, backToBack: 0, regular: false };
  let covered = 0;
  for (let at = first; at < exported.length; at++) if (exported[at]) covered++;
  if (covered < MIN_EXPORT_COVERAGE * (exported.length - first)) return null;

  const bursts: Array<{ start: number; size: number }> = [];
  let sustained = false;
  for (let at = first; at < starts.length; ) {
    if (starts[at]! < threshold) {
      at++;
      continue;
    }
    let end = at;
    let size = 0;
    let held = 0;
    while (end < starts.length && starts[end]! >= threshold) {
      held = Math.max(held, inFlight[end] ?? 0);
      size += starts[end++]!;
    }
    if (end - at > MAX_BURST_SECONDS) sustained = true;
    // Calls started together that were never in flight together (a semaphore's steady stream:
    // many a second, a few at a time) are no burst. A key with no in-flight level keeps its size.
    else if (held === 0 || held >= threshold) bursts.push({ start: at, size: Math.round(size) });
    at = end;
  }
  const size = median(bursts.map((burst) => burst.size));
  const periods = bursts.slice(1).map((burst, index) => burst.start - bursts[index]!.start);
  const period = periods.length === 0 ? null : median(periods);
  let dutyCycle = 0;
  let backToBack = 0;
  if (bursts.length >= 2) {
    const from = bursts[0]!.start;
    const to = bursts.at(-1)!.start;
    let busy = 0;
    for (let at = from; at < to; at++) if (inFlight[at]! > 0) busy++;
    dutyCycle = round(busy / (to - from));
    // A gap is back to back when no second of it was seen idle (an export with nothing in flight).
    let joined = 0;
    for (let index = 1; index < bursts.length; index++) {
      let idle = false;
      for (let at = bursts[index - 1]!.start; at < bursts[index]!.start && !idle; at++)
        idle = exported[at] === true && inFlight[at] === 0;
      if (!idle) joined++;
    }
    backToBack = round(joined / (bursts.length - 1));
  }
  // The last burst may be cut short by the end of the work: its size is not held against the
  // train. A quarter of the sizes and periods may stray (two batches in one second, a pause).
  const sizes = bursts.slice(0, -1).map((burst) => burst.size);
  const regular =
    !sustained &&
    bursts.length >= MIN_TRAIN &&
    period !== null &&
    mostly(sizes, (value) => Math.abs(value - size) <= SIZE_TOLERANCE * size) &&
    mostly(periods, (value) => Math.abs(value - period) <= PERIOD_TOLERANCE * period);
  return { count: bursts.length, size, periodSeconds: period, dutyCycle, backToBack, regular };
}

/** Whether at least `REGULAR_SHARE` of `values` pass. */
function mostly(values: number[], passes: (value: number) => boolean): boolean {
  return values.filter(passes).length >= REGULAR_SHARE * values.length;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
