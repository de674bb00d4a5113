import { type RateLimitReading, readRateLimitHeaders } from '../internal/rate-limit-headers.js';
import { FleetShare } from './fleet-share.js';
import { SilentLimits } from './silent-limits.js';

export const MINUTE_MS = 60_000;
/**
 * Providers also hold a key to rpm/60 (and tpm/60) in each second. The guard counts that share
 * over a window a little longer than a second, so the jitter between sending here and arriving
 * there cannot put one request too many into one of the provider's seconds. A second's worth
 * admitted at once leaves one request after the other, and on a busy machine the last of them
 * can arrive tens of milliseconds after the first: 30 ms of room let such a burst's tail share a
 * provider second with the next burst's head (one 429 in a tour run); 50 ms, as the fleet's
 * window keeps, costs 2 % of a per-second-bound key's rate.
 */
export const SECOND_WINDOW_MS = 1050;

/** The limit a rate-limit header's dimension states. */
const LIMIT_OF = { requests: 'rpm', tokens: 'tpm', input: 'itpm', output: 'otpm' } as const;

/** Below this share of the limit left, the guard spreads what remains until the reset. */
const LOW_REMAINING = 0.1;

/** Ceilings of one key × provider × model; an absent one is not enforced. */
export interface Limits {
  rpm?: number | undefined;
  tpm?: number | undefined;
  /** Input and output tokens per minute, where a provider limits them apart (Anthropic). */
  itpm?: number | undefined;
  otpm?: number | undefined;
  concurrency?: number | undefined;
}

/** One admitted attempt, as charged to the windows; `tokens` is corrected from the usage. */
export interface Charge {
  at: number;
  tokens: number;
  /** Of `tokens`, the output's: the rest is input. */
  output: number;
  retry: boolean;
  /** The attempt's number on this budget, counted from 1 in the order they were admitted. */
  sequence: number;
}

interface Remaining {
  value: number;
  /** When the provider said it (our clock), and when that window resets. */
  at: number;
  resetAt: number;
}

/** Why a request waits, for the error a full queue or a timeout gives. */
export type WaitReason = 'paused' | 'concurrency' | 'rpm' | 'tpm' | 'itpm' | 'otpm' | 'remaining';

/** Which of a charge's tokens a budget counts. */
type TokenPart = 'tokens' | 'input' | 'output';
const tokensOf = (charge: Charge, part: TokenPart): number =>
  part === 'tokens'
    ? charge.tokens
    : part === 'output'
      ? charge.output
      : charge.tokens - charge.output;

/**
 * The budget of one key × provider × model: attempts in flight and the last minute's charges,
 * against the configured ceilings or, where none is configured, the ones the provider's headers
 * state. It only answers when a request could go; the guard does the waiting.
 */
export class Budget {
  running = 0;
  /** Until then nothing goes: the provider said so with a 429's retry-after. */
  pausedUntil = 0;
  readonly learned: { rpm?: number; tpm?: number; itpm?: number; otpm?: number } = {};
  /** Whether any response carried rate-limit headers: until one has, one request at a time. */
  heardFrom = false;
  #charges: Charge[] = [];
  #remaining: {
    requests?: Remaining;
    tokens?: Remaining;
    input?: Remaining;
    output?: Remaining;
  } = {};
  /** The provider states input and output token limits apart: they, not one TPM, apply. */
  #split = false;
  /**
   * This replica's part of the ceilings: 1, or 1/N while the fleet's shared budget (Redis) is
   * out of reach and each of N replicas keeps to its share.
   */
  share = 1;
  /**
   * With no Redis, what the provider's headers and 429s say of the others on the key: this
   * replica's part of it. Undefined while the fleet's budget (Redis) decides.
   */
  fleet: FleetShare | undefined = new FleetShare();
  #admissions = 0;
  /** A provider that states no limits: what its 429s taught. */
  readonly silent = new SilentLimits();
  /** Output tokens of answered requests, to estimate requests that set no max_tokens. */
  #outputSeen = { tokens: 0, requests: 0 };

  /** A part of a shared key sends nothing before this: its first turn, at a random phase. */
  #paceFrom = 0;

  constructor(
    readonly label: string,
    public limits: Limits,
    private readonly random: () => number = Math.random,
  ) {}

  /** This replica's part of the key's ceilings. */
  part(): number {
    return this.share * (this.fleet?.share ?? 1);
  }

  /** Configured ceilings win; learned ones fill the gaps. With neither, one probe at a time. */
  effective(): Limits {
    const share = this.part();
    const part = (value: number | undefined) =>
      value === undefined ? undefined : Math.max(1, Math.floor(value * share));
    return {
      rpm: part(this.limits.rpm ?? this.learned.rpm ?? this.#silent()?.rpm),
      tpm: part(this.limits.tpm ?? (this.#split ? undefined : this.learned.tpm)),
      itpm: part(this.limits.itpm ?? (this.#split ? this.learned.itpm : undefined)),
      otpm: part(this.limits.otpm ?? (this.#split ? this.learned.otpm : undefined)),
      concurrency:
        part(this.limits.concurrency) ??
        (this.#probing() ? 1 : this.#silent() && Math.floor(this.silent.window)),
    };
  }

  /**
   * No ceiling configured and none heard of yet, or not yet known whether others send on the
   * key: one request at a time, to learn them.
   */
  #probing(): boolean {
    return (
      this.#unconfigured() &&
      ((!this.heardFrom && !this.silent.active) ||
        (this.#remaining.requests !== undefined && this.fleet?.measured === false))
    );
  }

  #unconfigured(): boolean {
    return (
      this.limits.rpm === undefined &&
      this.limits.tpm === undefined &&
      this.limits.itpm === undefined &&
      this.limits.otpm === undefined &&
      this.limits.concurrency === undefined
    );
  }

  /** Nothing configured, and the provider states no limits: they are learned from its 429s. */
  #silent(): SilentLimits | undefined {
    return this.#unconfigured() && !this.heardFrom && this.silent.active ? this.silent : undefined;
  }

  /** Output tokens to assume for a request with no max_tokens: the average seen, else 256. */
  outputEstimate(): number {
    const { tokens, requests } = this.#outputSeen;
    return requests === 0 ? 256 : Math.ceil(tokens / requests);
  }

  /**
   * When a request of `tokens` (`output` of them its output) may go: `now` if it may go now, a
   * later time to look again, or Infinity when only a release can make room (a full concurrency).
   */
  nextAdmission(now: number, tokens: number, output = 0): { at: number; reason?: WaitReason } {
    this.#expire(now);
    const { rpm, tpm, itpm, otpm, concurrency } = this.effective();
    if (concurrency !== undefined && this.running >= concurrency)
      return { at: Number.POSITIVE_INFINITY, reason: 'concurrency' };
    let at = now;
    let reason: WaitReason | undefined;
    const later = (time: number, why: WaitReason) => {
      if (time > at) {
        at = time;
        reason = why;
      }
    };
    later(this.pausedUntil, 'paused');
    const charges = this.#charges;
    const share = this.part();
    if (rpm !== undefined) {
      if (charges.length >= rpm) later(charges[charges.length - rpm]!.at + MINUTE_MS, 'rpm');
      if (share < 1) {
        // A part of a shared key goes evenly spaced: N replicas' bursts of rpm/60/N, each in a
        // second of its own, could all land in one of the provider's seconds.
        const last = charges.at(-1);
        const spacing = this.#spacing();
        if (last !== undefined && spacing !== undefined)
          later(Math.max(last.at + spacing, this.#paceFrom), 'rpm');
      } else {
        const perSecond = Math.ceil(rpm / 60);
        const recent = this.#since(now - SECOND_WINDOW_MS);
        if (charges.length - recent >= perSecond)
          later(charges[charges.length - perSecond]!.at + SECOND_WINDOW_MS, 'rpm');
      }
    }
    const recent = this.#since(now - SECOND_WINDOW_MS);
    const budgets = [
      [tpm, 'tokens', tokens, 'tpm'],
      [itpm, 'input', tokens - output, 'itpm'],
      [otpm, 'output', output, 'otpm'],
    ] as const;
    for (const [budget, part, amount, why] of budgets) {
      if (budget === undefined) continue;
      // A request bigger than a whole budget goes alone, into an empty window.
      later(this.#roomFor(Math.min(amount, budget), budget, 0, MINUTE_MS, part), why);
      const perSecond = Math.ceil(budget / 60);
      later(
        this.#roomFor(Math.min(amount, perSecond), perSecond, recent, SECOND_WINDOW_MS, part),
        why,
      );
    }
    // The provider's own count: at zero, wait for its reset; close to zero, spread what is
    // left evenly until the reset, rather than spend it at once and then stand still.
    const { requests, tokens: tokenRoom, input, output: outputRoom } = this.#remaining;
    // Of what remains, the others on the key take their part too.
    if (requests !== undefined) {
      const room = requests.value * share - this.#chargedSince(requests.at).count;
      later(this.#spread(now, room, 1, requests, rpm), 'remaining');
    }
    const rooms = this.#split
      ? ([
          [input, 'input', tokens - output, itpm],
          [outputRoom, 'output', output, otpm],
        ] as const)
      : ([[tokenRoom, 'tokens', tokens, tpm]] as const);
    for (const [remaining, part, amount, limit] of rooms) {
      if (remaining === undefined) continue;
      const room = remaining.value * share - this.#chargedSince(remaining.at, part).tokens;
      later(this.#spread(now, room, amount, remaining, limit), 'remaining');
    }
    return reason === undefined ? { at } : { at, reason };
  }

  admit(now: number, tokens: number, retry: boolean, output = 0): Charge {
    const charge: Charge = {
      at: now,
      tokens,
      output: Math.min(output, tokens),
      retry,
      sequence: ++this.#admissions,
    };
    this.#charges.push(charge);
    this.running++;
    return charge;
  }

  /** The attempt is over: its slot is free, and the provider's headers are learned. */
  release(
    now: number,
    headers: { get(name: string): string | null } | undefined,
    charge?: Charge,
  ): void {
    this.running = Math.max(0, this.running - 1);
    if (headers === undefined) return;
    const readings = readRateLimitHeaders(headers);
    if (readings.length === 0 && !this.heardFrom) this.silent.answered();
    this.learn(now, readings, charge?.sequence);
  }

  /**
   * A 429 on this key: from a provider that states no limits, a sign of them; else, with no
   * Redis counting the fleet, others take more than this part allows.
   */
  rateLimited(now: number): void {
    if (this.#silent() !== undefined) {
      this.#expire(now);
      this.silent.rateLimited(now, this.#charges.length - this.#since(now - SECOND_WINDOW_MS));
    } else {
      this.fleet?.rateLimited(now);
    }
  }

  /** The call's real usage replaces the estimate it was charged. */
  correct(charge: Charge, input: number | undefined, output: number | undefined): void {
    if (input === undefined && output === undefined) return;
    charge.tokens = (input ?? 0) + (output ?? 0);
    charge.output = output ?? 0;
    if (output !== undefined) {
      this.#outputSeen.tokens += output;
      this.#outputSeen.requests++;
    }
  }

  /** What the provider said on the answer to attempt number `sequence`, when known. */
  learn(now: number, readings: RateLimitReading[], sequence?: number): void {
    // Anthropic limits input and output tokens apart, and its `tokens` family is the tighter of
    // the two: once the two differ, they are the budgets. The same limit and remaining in both is
    // one budget stated thrice (as the mock provider's one `tpm` is): then it is one TPM.
    const input = readings.find((reading) => reading.dimension === 'input_tokens');
    const output = readings.find((reading) => reading.dimension === 'output_tokens');
    if (
      input !== undefined &&
      output !== undefined &&
      (input.limit !== output.limit || input.remaining !== output.remaining)
    )
      this.#split = true;
    for (const reading of readings) {
      const dimension = (
        {
          requests: 'requests',
          tokens: 'tokens',
          input_tokens: 'input',
          output_tokens: 'output',
        } as const
      )[reading.dimension];
      this.heardFrom = true;
      if (reading.limit === undefined && reading.remaining !== undefined) {
        // Azure states what remains, never the limit: what remains plus this lane's own use of
        // the minute up to this answer's attempt (those sent after it may not have arrived) is
        // at most the limit (others on the key use some too), and grows to it.
        const key = LIMIT_OF[dimension];
        const used = this.#usedUpTo(now, sequence, dimension === 'requests' ? 'tokens' : dimension);
        const inferred = reading.remaining + (dimension === 'requests' ? used.count : used.tokens);
        this.learned[key] = Math.max(this.learned[key] ?? 0, inferred);
      }
      if (reading.limit !== undefined) this.learned[LIMIT_OF[dimension]] = reading.limit;
      if (reading.remaining !== undefined) {
        if (dimension === 'requests' && sequence !== undefined)
          this.#observe(now, sequence, reading.remaining);
        this.#remaining[dimension] = {
          value: reading.remaining,
          at: now,
          resetAt: now + (reading.resetSeconds ?? 1) * 1000,
        };
      }
    }
  }

  /**
   * The fleet's part of the key, from the answer to attempt number `sequence`. The moment the
   * lane learns it shares the key, its first turn is put at a random point of its spacing: the
   * replicas that learned it in the same moment do not all send in the same one of the
   * provider's seconds.
   */
  #observe(now: number, sequence: number, remaining: number): void {
    const fleet = this.fleet;
    if (fleet === undefined) return;
    const wasMeasured = fleet.measured;
    const whole = this.limits.rpm ?? this.learned.rpm;
    fleet.perSecond = whole === undefined ? undefined : Math.ceil(whole / 60);
    fleet.observe(now, sequence, remaining);
    const spacing = this.#spacing();
    if (!wasMeasured && fleet.measured && spacing !== undefined)
      this.#paceFrom = now + this.random() * spacing;
  }

  /** While this replica keeps to a part of the key, the time between two of its requests. */
  #spacing(): number | undefined {
    const share = this.part();
    const whole = this.limits.rpm ?? this.learned.rpm;
    return share < 1 && whole !== undefined ? MINUTE_MS / (whole * share) : undefined;
  }

  /** Retries may be at most a fifth of the last minute's first attempts, plus 10. */
  allowsRetry(now: number): boolean {
    this.#expire(now);
    let retries = 0;
    for (const charge of this.#charges) if (charge.retry) retries++;
    return retries < 10 + 0.2 * (this.#charges.length - retries);
  }

  /** `rpm 498/500, tpm 12000/200000` over the last minute. */
  describe(now: number): string {
    this.#expire(now);
    const { rpm, tpm, itpm, otpm } = this.effective();
    const parts: string[] = [];
    if (rpm !== undefined) parts.push(`rpm ${this.#charges.length}/${rpm}`);
    for (const [name, limit, part] of [
      ['tpm', tpm, 'tokens'],
      ['input tpm', itpm, 'input'],
      ['output tpm', otpm, 'output'],
    ] as const) {
      if (limit === undefined) continue;
      let tokens = 0;
      for (const charge of this.#charges) tokens += tokensOf(charge, part);
      parts.push(`${name} ${tokens}/${limit}`);
    }
    if (this.#probing()) parts.push('one at a time until the provider states its limits');
    const silent = this.#silent();
    if (silent !== undefined)
      parts.push(
        `no limits stated: ${Math.floor(silent.window)} at once${silent.rpm === undefined ? '' : ', rpm learned from 429s'}`,
      );
    if (now < this.pausedUntil)
      parts.push(`paused ${((this.pausedUntil - now) / 1000).toFixed(1)} s more`);
    return parts.join(', ');
  }

  /**
   * When `cost` more may go against what the provider said remains: its reset if it does not
   * fit; while less than a tenth of the limit is left, one cost's share of the time to the reset
   * after the last admission; else now.
   */
  #spread(
    now: number,
    room: number,
    cost: number,
    remaining: Remaining,
    limit: number | undefined,
  ): number {
    if (room < cost) return remaining.resetAt;
    if (limit === undefined || room >= LOW_REMAINING * limit) return now;
    const last = this.#charges.at(-1);
    if (last === undefined) return now;
    return last.at + ((remaining.resetAt - now) * cost) / room;
  }

  /** Index of the first charge after `from`: the window (`from`, now]. */
  #since(from: number): number {
    const charges = this.#charges;
    let low = 0;
    let high = charges.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (charges[middle]!.at <= from) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** How many attempts this budget admitted after `at`. */
  admittedSince(at: number): number {
    return this.#charges.length - this.#since(at);
  }

  /** This lane's charges of the last minute up to attempt number `sequence` (all if unknown). */
  #usedUpTo(
    now: number,
    sequence: number | undefined,
    part: TokenPart,
  ): { count: number; tokens: number } {
    let count = 0;
    let tokens = 0;
    const charges = this.#charges;
    for (let index = this.#since(now - MINUTE_MS); index < charges.length; index++) {
      const charge = charges[index]!;
      if (sequence !== undefined && charge.sequence > sequence) continue;
      count++;
      tokens += tokensOf(charge, part);
    }
    return { count, tokens };
  }

  #chargedSince(at: number, part: TokenPart = 'tokens'): { count: number; tokens: number } {
    let tokens = 0;
    const charges = this.#charges;
    const start = this.#since(at);
    for (let index = start; index < charges.length; index++)
      tokens += tokensOf(charges[index]!, part);
    return { count: charges.length - start, tokens };
  }

  /**
   * When `tokens` more fit under `budget` over `window`, counting the `part` of the charges
   * from index `start`: now if they do, else when enough of the oldest have left the window.
   */
  #roomFor(tokens: number, budget: number, start: number, window: number, part: TokenPart): number {
    const charges = this.#charges;
    let used = 0;
    for (let index = start; index < charges.length; index++)
      used += tokensOf(charges[index]!, part);
    if (used + tokens <= budget || used === 0) return 0;
    for (let index = start; index < charges.length; index++) {
      used -= tokensOf(charges[index]!, part);
      if (used + tokens <= budget || used === 0) return charges[index]!.at + window;
    }
    return 0;
  }

  #expire(now: number): void {
    const from = this.#since(now - MINUTE_MS);
    if (from > 0) this.#charges = this.#charges.slice(from);
  }
}
