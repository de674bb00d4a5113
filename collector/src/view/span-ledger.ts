import type { KeySeries, ReplicaShare } from './key-series.js';

/** Entries kept at most, over all replicas: about 20 MiB. */
const MAX_ENTRIES = 200_000;
/**
 * Seconds an entry is kept. Metrics come every 60 s by the OpenTelemetry default, so a replica
 * whose metrics have not come in ten minutes sends spans only, and its spans are the count.
 */
const MAX_AGE_SECONDS = 600;

interface Entry {
  /** The replica whose span it was. */
  owner: object;
  series: KeySeries;
  share: ReplicaShare | undefined;
  second: number;
  rateLimited: boolean;
  inputTokens: number;
  outputTokens: number;
}

/**
 * What the spans of replicas without GenAI metrics added to the view, so that it can be taken
 * back. A replica instrumented with the official GenAI instrumentation exports spans every few
 * seconds and metrics every 60 s: until its first metrics arrive its spans are all there is to
 * count, and once they arrive the metrics count the same calls again, since the process started.
 * Then `retract` takes the spans' share away and the metrics are the count from there on, so a
 * call is never counted twice. Bounded by count and age, oldest first out.
 */
export class SpanLedger {
  readonly #entries: Entry[] = [];
  /** Index of the oldest live entry: the array is compacted when half of it is spent. */
  #head = 0;

  add(entry: Entry): void {
    if (this.#entries.length - this.#head >= MAX_ENTRIES) this.#head++;
    this.#entries.push(entry);
    this.#compact();
  }

  /** Forgets entries older than the age limit at `second`. */
  expire(second: number): void {
    while (
      this.#head < this.#entries.length &&
      this.#entries[this.#head]!.second < second - MAX_AGE_SECONDS
    )
      this.#head++;
    this.#compact();
  }

  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** Takes back everything `owner`'s spans added, and forgets it. */
  retract(owner: object): void {
    const kept: Entry[] = [];
    for (let index = this.#head; index < this.#entries.length; index++) {
      const entry = this.#entries[index]!;
      if (entry.owner !== owner) {
        kept.push(entry);
        continue;
      }
      entry.series.addCalls(entry.second, -1);
      entry.series.addRequests(entry.second, -1, entry.rateLimited);
      if (entry.inputTokens !== 0) entry.series.addTokens(entry.second, -entry.inputTokens, false);
      if (entry.outputTokens !== 0) entry.series.addTokens(entry.second, -entry.outputTokens, true);
      entry.share?.requests.add(entry.second, -1);
    }
    this.#entries.length = 0;
    this.#entries.push(...kept);
    this.#head = 0;
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
