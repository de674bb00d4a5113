/** Clients whose failures are remembered; past this the longest-known is forgotten first. */
const MAX_CLIENTS = 10_000;

export interface AuthFailuresOptions {
  /** Failures a client may make at once before it has to wait. */
  burst?: number;
  /** Milliseconds in which one failure is forgiven. */
  refillMs?: number;
  now?: () => number;
}

/**
 * Slows down guessing the token: each client (remote address) has a bucket of `burst` failed
 * authentications that refills one every `refillMs`. While it is empty the client is answered 429
 * with no check at all, right or wrong token, so 500 guesses take minutes, not half a second.
 * Bounded: at most `MAX_CLIENTS` buckets, the oldest dropped first (a dropped client starts full,
 * which only forgives it early).
 */
export class AuthFailures {
  readonly #burst: number;
  readonly #refillMs: number;
  readonly #now: () => number;
  /** Per client: failures still counted against it, as of `at`. */
  readonly #clients = new Map<string, { failures: number; at: number }>();

  constructor({ burst = 10, refillMs = 2000, now = Date.now }: AuthFailuresOptions = {}) {
    if (!Number.isInteger(burst) || burst < 1)
      throw new TypeError(`Expected \`burst\` to be an integer from 1 and up, got ${burst}`);
    if (!Number.isFinite(refillMs) || refillMs <= 0)
      throw new TypeError(`Expected \`refillMs\` to be a number above 0, got ${refillMs}`);
    this.#burst = burst;
    this.#refillMs = refillMs;
    this.#now = now;
  }

  /** Milliseconds the client must wait before it may try again; 0 when it may now. */
  waitMs(client: string): number {
    const entry = this.#current(client);
    if (entry === undefined || entry.failures <= this.#burst - 1) return 0;
    return Math.ceil((entry.failures - (this.#burst - 1)) * this.#refillMs);
  }

  fail(client: string): void {
    const entry = this.#current(client) ?? { failures: 0, at: this.#now() };
    entry.failures += 1;
    this.#clients.delete(client);
    this.#clients.set(client, entry);
    if (this.#clients.size > MAX_CLIENTS) this.#clients.delete(this.#clients.keys().next().value!);
  }

  /** The client's entry with the forgiveness since its last change applied. */
  #current(client: string): { failures: number; at: number } | undefined {
    const entry = this.#clients.get(client);
    if (entry === undefined) return undefined;
    const now = this.#now();
    entry.failures = Math.max(0, entry.failures - (now - entry.at) / this.#refillMs);
    entry.at = now;
    if (entry.failures === 0) {
      this.#clients.delete(client);
      return undefined;
    }
    return entry;
  }
}
