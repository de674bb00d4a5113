import type { Temporality } from '../otlp/types.js';

interface Previous {
  startTime: number;
  value: number;
  seenAt: number;
}

/**
 * Turns the points of monotonic sums into increments, whatever their temporality, so that the
 * windows only ever add. Cumulative points are diffed against the previous point of the same
 * stream (replica × metric × attributes); a new start time, or a value that went down, is a
 * restart, and then the whole value is new since that start. A stream seen for the first time
 * counts in full only if it started after the collector did: otherwise its value holds history
 * from before the collector was listening, and it becomes the baseline instead. Nothing here
 * ever yields a negative or doubled increment.
 */
export class CounterState {
  readonly #previous = new Map<string, Previous>();

  constructor(private readonly startedAt: number) {}

  increment(
    stream: string,
    temporality: Temporality,
    startTime: number,
    value: number,
    now: number,
  ): number {
    if (temporality === 'delta') return Math.max(0, value);
    const previous = this.#previous.get(stream);
    this.#previous.set(stream, { startTime, value, seenAt: now });
    if (previous === undefined) {
      return startTime >= this.startedAt ? value : 0;
    }
    const restarted =
      (startTime !== 0 && startTime !== previous.startTime) || value < previous.value;
    if (restarted) return value;
    return value - previous.value;
  }

  /** Streams held (for the RSS budget and tests). */
  get size(): number {
    return this.#previous.size;
  }

  /** Forgets streams not updated since `before`, so replicas that went away free memory. */
  prune(before: number): void {
    for (const [stream, previous] of this.#previous)
      if (previous.seenAt < before) this.#previous.delete(stream);
  }
}
