import type { LimitSnapshot, LimitState, Refusal, TokenKind } from './limit-types.js';
import type { ResolvedLimits } from './options.js';
import { MINUTE_MS, type TokenField, type TokenUsage, UsageWindow } from './usage-window.js';

/** Each token budget: its limit's name, what it counts, and its name in a refusal. */
const TOKEN_BUDGETS = [
  { limit: 'tpm', field: 'tokens', kind: 'tokens' },
  { limit: 'itpm', field: 'input', kind: 'input_tokens' },
  { limit: 'otpm', field: 'output', kind: 'output_tokens' },
] as const satisfies ReadonlyArray<{
  limit: keyof ResolvedLimits;
  field: TokenField;
  kind: TokenKind;
}>;

/** Ceilings of one API key: sliding minute, per-second quantum, and requests in flight. */
export class KeyLimiter {
  readonly #limits: ResolvedLimits;
  readonly #window = new UsageWindow();
  /** Expected end time of each request in flight, to say when a concurrency slot frees up. */
  readonly #inFlight = new Set<{ endsAt: number }>();

  constructor(limits: ResolvedLimits) {
    this.#limits = limits;
  }

  /** Why a request charged `usage` would be refused now, or undefined if it fits. */
  check(usage: TokenUsage, now: number): Refusal | undefined {
    const { concurrency } = this.#limits;
    for (const budget of TOKEN_BUDGETS) {
      const limit = this.#limits[budget.limit];
      const requested = amount(usage, budget.field);
      if (limit !== undefined && requested > limit) {
        // No wait would ever make it fit; a minute is the longest any usage stays charged.
        const base = { kind: budget.kind, limit, requested } as const;
        return { ...base, cause: 'too-large', retryAfterMs: MINUTE_MS };
      }
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
    const refusals = [
      this.#checkRequests(now),
      ...TOKEN_BUDGETS.map((budget) => this.#checkTokens(budget, usage, now)),
    ].filter((refusal) => refusal !== undefined);
    const [first] = refusals;
    if (first === undefined) return undefined;
    // Report the first budget exceeded, but wait until every exceeded budget has room again.
    return {
      ...first,
      retryAfterMs: Math.max(1, ...refusals.map((refusal) => refusal.retryAfterMs)),
    };
  }

  /** Charges the request to the window and holds a concurrency slot until the returned release. */
  admit(usage: TokenUsage, now: number, expectedMs: number): () => void {
    this.#window.record(now, usage);
    const request = { endsAt: now + expectedMs };
    this.#inFlight.add(request);
    return () => {
      this.#inFlight.delete(request);
    };
  }

  snapshot(now: number): LimitSnapshot {
    const { rpm, tpm, itpm, otpm } = this.#limits;
    const minute = this.#window.minute(now);
    const resetMs = this.#window.untilEmpty(now);
    const state = (limit: number, used: number): LimitState => ({
      limit,
      remaining: Math.max(0, limit - used),
      resetMs,
    });
    const snapshot: LimitSnapshot = {};
    if (rpm !== undefined) snapshot.requests = state(rpm, minute.requests);
    if (tpm !== undefined) snapshot.tokens = state(tpm, minute.tokens);
    if (itpm !== undefined) snapshot.inputTokens = state(itpm, minute.input);
    if (otpm !== undefined) snapshot.outputTokens = state(otpm, minute.output);
    return snapshot;
  }

  /** The window a share of the minute is held over: a clock second, or Azure's 10 s. */
  get #quantum(): number {
    return this.#limits.windowMs ?? 1000;
  }

  /** What a minute's `limit` allows in one window. */
  #share(limit: number): number {
    return Math.ceil((limit * this.#quantum) / MINUTE_MS);
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
    if (this.#window.second(now, this.#quantum).requests >= this.#share(rpm)) {
      const retryAfterMs = this.#window.untilNextSecond(now, this.#quantum);
      return { ...base, cause: 'per-second', retryAfterMs };
    }
    return undefined;
  }

  #checkTokens(
    budget: (typeof TOKEN_BUDGETS)[number],
    usage: TokenUsage,
    now: number,
  ): Refusal | undefined {
    const limit = this.#limits[budget.limit];
    if (limit === undefined) return undefined;
    const tokens = amount(usage, budget.field);
    const used = this.#window.minute(now)[budget.field];
    const base = { kind: budget.kind, limit, used, requested: tokens } as const;
    if (used + tokens > limit) {
      const retryAfterMs = this.#window.untilTokensAtMost(now, limit - tokens, budget.field);
      return { ...base, cause: 'per-minute', retryAfterMs };
    }
    // A request bigger than the per-second quantum still passes alone in an empty second;
    // otherwise it could never be served at all.
    const second = this.#window.second(now, this.#quantum)[budget.field];
    if (second > 0 && second + tokens > this.#share(limit)) {
      const retryAfterMs = this.#window.untilNextSecond(now, this.#quantum);
      return { ...base, cause: 'per-second', retryAfterMs };
    }
    return undefined;
  }
}

function amount(usage: TokenUsage, field: TokenField): number {
  return field === 'tokens' ? usage.input + usage.output : usage[field];
}
