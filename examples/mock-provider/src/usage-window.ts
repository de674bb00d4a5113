export const MINUTE_MS = 60_000;
export const SECOND_MS = 1000;

interface Admission {
  at: number;
  tokens: number;
  input: number;
  output: number;
}

export interface WindowUsage {
  requests: number;
  tokens: number;
  input: number;
  output: number;
}

/** What a request is charged: its input and output tokens (their sum is `tokens`). */
export interface TokenUsage {
  input: number;
  output: number;
}

/** Which of a window's token counts a budget is on. */
export type TokenField = 'tokens' | 'input' | 'output';

/**
 * The admissions of one key over the last minute. Kept as a log rather than counters so the
 * sliding minute is exact and the wait until enough usage expires can be computed, not guessed.
 * Assumes the clock never runs backwards.
 */
export class UsageWindow {
  #admissions: Admission[] = [];

  record(at: number, usage: TokenUsage): void {
    this.#admissions.push({ at, tokens: usage.input + usage.output, ...usage });
  }

  /** Usage admitted in the sliding minute (now − 60 s, now]. */
  minute(now: number): WindowUsage {
    this.#expire(now);
    return sum(this.#admissions);
  }

  /**
   * Usage admitted in the current clock window [floor(now / window), +window): the burst
   * quantum, a clock second unless said otherwise (Azure's 10 s).
   */
  second(now: number, window = SECOND_MS): WindowUsage {
    const start = now - positiveModulo(now, window);
    return sum(this.#admissions.filter((admission) => admission.at >= start));
  }

  /** Milliseconds until the next clock window opens a fresh quantum. */
  untilNextSecond(now: number, window = SECOND_MS): number {
    return window - positiveModulo(now, window);
  }

  /** Milliseconds until at most `count` admissions remain in the minute. */
  untilRequestsAtMost(now: number, count: number): number {
    this.#expire(now);
    const mustExpire = this.#admissions.length - count;
    if (mustExpire <= 0) return 0;
    return this.#admissions[mustExpire - 1]!.at + MINUTE_MS - now;
  }

  /** Milliseconds until at most `amount` of the `field` tokens remain charged in the minute. */
  untilTokensAtMost(now: number, amount: number, field: TokenField = 'tokens'): number {
    this.#expire(now);
    let charged = sum(this.#admissions)[field];
    if (charged <= amount) return 0;
    for (const admission of this.#admissions) {
      charged -= admission[field];
      if (charged <= amount) return admission.at + MINUTE_MS - now;
    }
    return 0;
  }

  /** Milliseconds until the window is empty again: what providers call the reset time. */
  untilEmpty(now: number): number {
    this.#expire(now);
    const newest = this.#admissions.at(-1);
    return newest === undefined ? 0 : newest.at + MINUTE_MS - now;
  }

  #expire(now: number): void {
    let expired = 0;
    while (expired < this.#admissions.length && this.#admissions[expired]!.at <= now - MINUTE_MS) {
      expired += 1;
    }
    if (expired > 0) this.#admissions.splice(0, expired);
  }
}

function sum(admissions: readonly Admission[]): WindowUsage {
  let tokens = 0;
  let input = 0;
  let output = 0;
  for (const admission of admissions) {
    tokens += admission.tokens;
    input += admission.input;
    output += admission.output;
  }
  return { requests: admissions.length, tokens, input, output };
}

function positiveModulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
