import type { LimitSnapshot, Refusal } from './limit-types.js';
import type { ResolvedLimits } from './options.js';
import { MINUTE_MS, UsageWindow } from './usage-window.js';

/** Ceilings of one API key: sliding minute, per-second quantum, and requests in flight. */
export class KeyLimiter {
  readonly #limits: ResolvedLimits;
  readonly #window = new UsageWindow();
  /** Expected end time of each request in flight, to say when a concurrency slot frees up. */
  readonly #inFlight = new Set<{ endsAt: number }>();

  constructor(limits: ResolvedLimits) {
    this.#limits = limits;
  }

  /** Why a request of `tokens` tokens would be refused now, or undefined if it fits. */
  check(tokens: number, now: number): Refusal | undefined {
    const { tpm, concurrency } = this.#limits;
    if (tpm !== undefined && tokens > tpm) {
      // No wait would ever make it fit; a minute is the longest any usage stays charged.
      const base = { kind: 'tokens', limit: tpm, requested: tokens } as const;
      return { ...base, cause: 'too-large', retryAfterMs: MINUTE_MS };
    }
    if (concurrency !== undefined && this.#inFlight.size >= concurrency) {
      const soonest = Math.min(...[...this.#inFlight].map((request) => request.endsAt));
      const base = { kind: 'requests', limit: concurrency, used: this.#inFlight.size } as const;
      return {
        ...base,
        cause: 'concurrency',
        requested: 1,
        retryAfterMs: Math.max(1, soonest - now),
      };
    }
    const refusals = [this.#checkRequests(now), this.#checkTokens(tokens, now)].filter(
      (refusal) => refusal !== undefined,
    );
    const [first] = refusals;
    if (first === undefined) return undefined;
    // Report the first budget exceeded, but wait until every exceeded budget has room again.
    return {
      ...first,
      retryAfterMs: Math.max(1, ...refusals.map((refusal) => refusal.retryAfterMs)),
    };
  }

  /** Charges the request to the window and holds a concurrency slot until the returned release. */
  admit(tokens: number, now: number, expectedMs: number): () => void {
    this.#window.record(now, tokens);
    const request = { endsAt: now + expectedMs };
    this.#inFlight.add(request);
    return () => {
      this.#inFlight.delete(request);
    };
  }

  snapshot(now: number): LimitSnapshot {
    const { rpm, tpm } = this.#limits;
    const minute = this.#window.minute(now);
    const resetMs = this.#window.untilEmpty(now);
    const snapshot: LimitSnapshot = {};
    if (rpm !== undefined) {
      snapshot.requests = { limit: rpm, remaining: Math.max(0, rpm - minute.requests), resetMs };
    }
    if (tpm !== undefined) {
      snapshot.tokens = { limit: tpm, remaining: Math.max(0, tpm - minute.tokens), resetMs };
    }
    return snapshot;
  }

  #checkRequests(now: number): Refusal | undefined {
    const { rpm } = this.#limits;
    if (rpm === undefined) return undefined;
    const minute = this.#window.minute(now);
    const base = { kind: 'requests', limit: rpm, used: minute.requests, requested: 1 } as const;
    if (minute.requests >= rpm) {
      const retryAfterMs = this.#window.untilRequestsAtMost(now, rpm - 1);
      return { ...base, cause: 'per-minute', retryAfterMs };
    }
    if (this.#window.second(now).requests >= Math.ceil(rpm / 60)) {
      return { ...base, cause: 'per-second', retryAfterMs: this.#window.untilNextSecond(now) };
    }
    return undefined;
  }

  #checkTokens(tokens: number, now: number): Refusal | undefined {
    const { tpm } = this.#limits;
    if (tpm === undefined) return undefined;
    const minute = this.#window.minute(now);
    const base = { kind: 'tokens', limit: tpm, used: minute.tokens, requested: tokens } as const;
    if (minute.tokens + tokens > tpm) {
      const retryAfterMs = this.#window.untilTokensAtMost(now, tpm - tokens);
      return { ...base, cause: 'per-minute', retryAfterMs };
    }
    // A request bigger than the per-second quantum still passes alone in an empty second;
    // otherwise it could never be served at all.
    const second = this.#window.second(now);
    if (second.tokens > 0 && second.tokens + tokens > Math.ceil(tpm / 60)) {
      return { ...base, cause: 'per-second', retryAfterMs: this.#window.untilNextSecond(now) };
    }
    return undefined;
  }
}
