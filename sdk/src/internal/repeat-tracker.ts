import { createHash } from 'node:crypto';

/** An identical call started this long after one still in flight is a retry, not a fan-out twin. */
export const REPEAT_IN_FLIGHT_MS = 1000;
/** An identical call started within this of one that failed is a retry of it. */
export const REPEAT_AFTER_FAILURE_MS = 60_000;
/** Most failed requests remembered per series: the oldest is forgotten first. */
export const REPEAT_FAILURES_KEPT = 256;

/** What the tracker needs of a call in flight. */
export interface Tracked {
  readonly startTime: number;
  /** The request as the app made it (the client's body, LangChain's messages); not kept after. */
  request: unknown;
  print: string | undefined;
}

/**
 * Tells app-level retries on one series: a call whose request is identical to one that failed
 * within the minute, or to one still in flight that started a second or more before (an app that
 * gave up waiting and asked again, leaving its first attempt running). Identical calls started
 * together (`Promise.all` over the same prompt) are a fan-out, not retries.
 *
 * Requests are fingerprinted only when there is something to compare with: a series with one
 * call at a time and no failures hashes nothing. Each request is hashed at most once.
 */
export class RepeatTracker {
  /** In flight, not hashed yet. */
  readonly #pending = new Set<Tracked>();
  /** In flight and hashed, by fingerprint. */
  readonly #printed = new Map<string, Tracked[]>();
  /** Fingerprint → when a call with it last failed; in insertion order, oldest first. */
  readonly #failures = new Map<string, number>();

  /** A call starts; true when it repeats an earlier one. `now` is `performance.now()`'s clock. */
  start(call: Tracked, now: number): boolean {
    if (this.#failures.size > 0) this.#forget(now);
    if (this.#pending.size === 0 && this.#printed.size === 0 && this.#failures.size === 0) {
      this.#pending.add(call);
      return false;
    }
    for (const other of this.#pending) this.#file(other);
    this.#pending.clear();
    const print = this.#print(call);
    if (print === undefined) return false;
    let repeat = false;
    const twins = this.#printed.get(print);
    if (twins !== undefined) {
      repeat = twins.some((other) => other.startTime <= now - REPEAT_IN_FLIGHT_MS);
      twins.push(call);
    } else {
      this.#printed.set(print, [call]);
    }
    if (!repeat) {
      const failedAt = this.#failures.get(print);
      repeat = failedAt !== undefined && failedAt >= now - REPEAT_AFTER_FAILURE_MS;
    }
    return repeat;
  }

  /** A call ends (or is given up); `failed` remembers its request for the minute. */
  end(call: Tracked, failed: boolean, now: number): void {
    if (!this.#pending.delete(call) && call.print !== undefined) {
      const twins = this.#printed.get(call.print);
      if (twins !== undefined) {
        const index = twins.indexOf(call);
        if (index >= 0) twins.splice(index, 1);
        if (twins.length === 0) this.#printed.delete(call.print);
      }
    }
    if (failed) {
      const print = call.print ?? this.#print(call);
      if (print !== undefined) {
        this.#failures.delete(print);
        this.#failures.set(print, now);
        this.#forget(now);
      }
    }
    call.request = undefined;
  }

  #file(call: Tracked): void {
    const print = this.#print(call);
    if (print === undefined) return;
    const twins = this.#printed.get(print);
    if (twins === undefined) this.#printed.set(print, [call]);
    else twins.push(call);
  }

  #print(call: Tracked): string | undefined {
    if (call.print === undefined && call.request !== undefined) {
      call.print = fingerprint(call.request);
      call.request = undefined;
    }
    return call.print;
  }

  /** Drops failures past the minute, and the oldest past the bound. */
  #forget(now: number): void {
    for (const [print, failedAt] of this.#failures) {
      if (this.#failures.size <= REPEAT_FAILURES_KEPT && failedAt >= now - REPEAT_AFTER_FAILURE_MS)
        break;
      this.#failures.delete(print);
    }
  }
}

/** A request's fingerprint, or undefined when it cannot be serialised (then it matches nothing). */
export function fingerprint(request: unknown): string | undefined {
  let text: string | undefined;
  try {
    text = typeof request === 'string' ? request : JSON.stringify(request);
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  return createHash('sha1').update(text).digest('base64');
}
