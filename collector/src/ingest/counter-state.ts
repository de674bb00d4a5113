import type { Temporality } from '../otlp/types.js';
import { DroppedIds } from '../view/dropped-ids.js';

interface Previous {
  startTime: number;
  value: number;
  seenAt: number;
}

export interface CounterStateOptions {
  /** Streams held at most. */
  maxStreams?: number;
  /** A full state lets its least recently updated stream go once it has been silent this long (ms). */
  makeRoomAfterMs?: number;
}

/**
 * Turns the points of monotonic sums into increments, whatever their temporality, so that the
 * windows only ever add. Cumulative points are diffed against the previous point of the same
 * stream (replica × metric × attributes); a new start time, or a value that went down, is a
 * restart, and then the whole value is new since that start. A stream seen for the first time
 * counts in full only if it started after the collector did: otherwise its value holds history
 * from before the collector was listening, and it becomes the baseline instead. Nothing here
 * ever yields a negative or doubled increment: a stream that comes back after it was let go,
 * or after it (or its series) was turned away, is a baseline too.
 *
 * Cap and eviction: at most `maxStreams` cumulative streams are held (delta streams hold
 * nothing). Streams are kept least recently updated first; a new stream takes the place of the
 * oldest once that one has been silent for `makeRoomAfterMs`, and is otherwise dropped: its
 * points yield 0 and it is counted in `dropped`. `prune` forgets streams idle for longer.
 */
export class CounterState {
  /** Insertion order is recency order, to the second. */
  readonly #previous = new Map<string, Previous>();
  readonly #maxStreams: number;
  readonly #makeRoomAfterMs: number;
  readonly #dropped = new DroppedIds();
  /** Streams let go (to make room, or idle): if one comes back, what it holds was counted. */
  readonly #forgotten = new DroppedIds();

  constructor(
    private readonly startedAt: number,
    { maxStreams = 1_000_000, makeRoomAfterMs = 120_000 }: CounterStateOptions = {},
  ) {
    this.#maxStreams = maxStreams;
    this.#makeRoomAfterMs = makeRoomAfterMs;
  }

  /**
   * `readmittedAt`: when the stream's series was admitted after it had been dropped (its points
   * never reached here meanwhile); a first-seen stream that started before then is a baseline.
   */
  increment(
    stream: string,
    temporality: Temporality,
    startTime: number,
    value: number,
    now: number,
    readmittedAt?: number,
  ): number {
    if (temporality === 'delta') return Math.max(0, value);
    const previous = this.#previous.get(stream);
    if (previous === undefined) {
      if (!this.#room(now)) {
        this.#dropped.add(stream);
        return 0;
      }
      this.#previous.set(stream, { startTime, value, seenAt: now });
      // A stream that was here before, or was turned away, or belongs to a series that was:
      // its value holds what was counted (or dropped) already, so it is the baseline.
      if (this.#forgotten.has(stream) || this.#dropped.has(stream)) return 0;
      if (readmittedAt !== undefined && startTime < readmittedAt) return 0;
      return startTime >= this.startedAt ? value : 0;
    }
    const restarted =
      (startTime !== 0 && startTime !== previous.startTime) || value < previous.value;
    const increment = restarted ? value : value - previous.value;
    // Move to the back once a second at most: recency order without a reinsert per point.
    if (Math.floor(now / 1000) !== Math.floor(previous.seenAt / 1000)) {
      this.#previous.delete(stream);
      this.#previous.set(stream, previous);
    }
    previous.startTime = startTime;
    previous.value = value;
    previous.seenAt = now;
    return increment;
  }

  /** Streams held (for the RSS budget and tests). */
  get size(): number {
    return this.#previous.size;
  }

  /** Distinct streams refused because the state was full. */
  get dropped(): number {
    return this.#dropped.count;
  }

  /** Forgets streams not updated since `before`, so replicas that went away free memory. */
  prune(before: number): void {
    for (const [stream, previous] of this.#previous) {
      if (previous.seenAt >= before) continue;
      this.#previous.delete(stream);
      this.#forgotten.add(stream);
    }
  }

  /** Whether a new stream fits, making room from the least recently updated one if it may go. */
  #room(now: number): boolean {
    if (this.#previous.size < this.#maxStreams) return true;
    const [stream, oldest] = this.#previous.entries().next().value!;
    if (oldest.seenAt >= now - this.#makeRoomAfterMs) return false;
    this.#previous.delete(stream);
    this.#forgotten.add(stream);
    return true;
  }
}
