/** Answers with no rate-limit header before the guard takes the provider for one that sends none. */
export const SILENT_AFTER = 2;
/** A 429 cuts at most once in this long: one burst's 429s are one sign. */
const CUT_INTERVAL_MS = 1000;
/** Each answer grows a rate learned from 429s by this part, so it finds room that opened up. */
const GROWTH_PER_ANSWER = 0.001;
/**
 * The first 429's rate: this part of what went in the second before it (a second of ours spans
 * two of the provider's, so that count runs high).
 */
const FIRST_RATE = 0.8;
/** A 429 at a rate already learned: the limit is lower still (a minute's, not a second's). */
const RATE_CUT = 0.7;
const MAX_WINDOW = 1024;

/**
 * The limits of a provider that states none (no `x-ratelimit-*`, no `anthropic-ratelimit-*`:
 * Gemini's `RESOURCE_EXHAUSTED` is all it says), learned from its 429s alone, as TCP learns a
 * path: attempts in flight start at one and grow by one an answer (doubling each round trip)
 * until the first 429, then by one a round trip; a 429 halves them. The first 429 also sets the
 * rate: 80 % of what went in the second before it, less the one refused; a later one cuts that
 * rate to 70 %, and each answer grows it by 0.1 %.
 */
export class SilentLimits {
  /** Answers seen with no rate-limit header, while none has had one. */
  silentAnswers = 0;
  /** Attempts in flight allowed. */
  window = 1;
  /** Requests per minute learned from the 429s, once one came. */
  rpm: number | undefined;
  #slowStart = true;
  #cutAt = Number.NEGATIVE_INFINITY;

  get active(): boolean {
    return this.silentAnswers >= SILENT_AFTER;
  }

  /** An answer came, with no rate-limit header. */
  answered(): void {
    this.silentAnswers++;
    if (!this.active) return;
    this.window = Math.min(MAX_WINDOW, this.window + (this.#slowStart ? 1 : 1 / this.window));
    if (this.rpm !== undefined) this.rpm *= 1 + GROWTH_PER_ANSWER;
  }

  /** A 429, with `lastSecond` attempts admitted in the second before it (itself among them). */
  rateLimited(now: number, lastSecond: number): void {
    if (!this.active || now - this.#cutAt < CUT_INTERVAL_MS) return;
    this.#cutAt = now;
    this.#slowStart = false;
    this.window = Math.max(1, this.window / 2);
    const seen = Math.max(1, (lastSecond - 1) * FIRST_RATE) * 60;
    this.rpm = this.rpm === undefined ? seen : Math.max(1, this.rpm * RATE_CUT);
  }
}
