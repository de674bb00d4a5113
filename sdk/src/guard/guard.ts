import { Budget, type Charge, type Limits, SECOND_WINDOW_MS } from './budget.js';
import { type GuardClock, sleep, systemClock } from './clock.js';
import { FairQueue } from './fair-queue.js';
import { HeadroomGuardError } from './guard-error.js';
import { CONCURRENCY_POLL_MS, SharedBudgets } from './shared-budget.js';

/** How one key × provider × model is guarded. */
export interface LaneOptions {
  limits: Limits;
  /** Calls that may wait; one more is refused at once. */
  maxQueue: number;
  /** How long a call may wait for its turn before it is refused. */
  queueTimeoutMs: number;
}

export const DEFAULT_MAX_QUEUE = 10_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
export const DEFAULT_QUEUE_TIMEOUT_MS = 60_000;

/** What a call asks of its key's budget for one HTTP attempt. */
export interface AdmissionRequest {
  tenant: string;
  /** Estimated tokens: the prompt's and max_tokens (or the average output seen). */
  tokens: number;
  /** Of `tokens`, the output's estimate (for providers that limit input and output apart). */
  output?: number | undefined;
  retry: boolean;
  /** 0 (interactive), 1 (normal, the default) or 2 (batch): the order within a tenant's turn. */
  level?: number | undefined;
  signal?: AbortSignal | null | undefined;
}

/** An admitted attempt: release it once, when its response (or its failure) is in. */
export interface Ticket {
  readonly charge: SharedCharge;
  readonly waitedMs: number;
  release(headers?: { get(name: string): string | null }): void;
}

/** A charge, and where it is also held when the fleet shares the budget. */
export interface SharedCharge extends Charge {
  shared?: { id: string; at: number; tokens: number; output: number };
}

interface Waiter extends AdmissionRequest {
  enqueuedAt: number;
  resolve(ticket: Ticket): void;
  reject(error: unknown): void;
  timer: unknown;
  onAbort?: () => void;
}

/** The waiting line and budget of one key × provider × model. */
export class Lane {
  readonly budget: Budget;
  readonly queue = new FairQueue<Waiter>();
  #timer: unknown;
  #timerAt = Number.POSITIVE_INFINITY;
  /** Counts for telemetry: admitted at once, admitted after a wait, refused by reason. */
  readonly counts = { admitted: 0, delayed: 0, queueFull: 0, timeout: 0 };
  /** Where each admission's wait (seconds) is recorded, once telemetry has a series for it. */
  wait: { record(value: number): void } | undefined;
  #pumping = false;
  /** What the provider's headers say of the others on the key, for when Redis cannot. */
  readonly #fleetShare: Budget['fleet'];

  constructor(
    label: string,
    public options: LaneOptions,
    private readonly clock: GuardClock,
    /** The fleet's budget in Redis, and this lane's name there. */
    private readonly shared?: { budgets: SharedBudgets; lane: string },
    random: () => number = Math.random,
  ) {
    this.budget = new Budget(label, options.limits, random);
    this.#fleetShare = this.budget.fleet;
    this.#followShared();
  }

  /** Whether admissions go through the fleet's budget now (Redis configured and reachable). */
  get fleetWide(): boolean {
    return this.shared?.budgets.up === true;
  }

  /** Redis is configured and its first connection is still being made: nothing goes yet. */
  get #connecting(): boolean {
    return this.shared?.budgets.connecting === true;
  }

  /** New options from the client instrumented last; waiters already in line keep their timers. */
  configure(options: LaneOptions): void {
    this.options = options;
    this.budget.limits = options.limits;
    this.#schedule();
  }

  /** Resolves when the attempt may go; rejects when the queue is full, on timeout or on abort. */
  acquire(request: AdmissionRequest): Promise<Ticket> {
    const { clock } = this;
    const { maxQueue, queueTimeoutMs } = this.options;
    const now = clock.now();
    if (request.signal?.aborted) return Promise.reject(request.signal.reason);
    // First come: nobody waits ahead, and the budget has room (the fleet's is asked in line).
    if (
      !this.fleetWide &&
      !this.#connecting &&
      this.queue.size === 0 &&
      this.budget.nextAdmission(now, request.tokens, request.output).at <= now
    ) {
      this.counts.admitted++;
      return Promise.resolve(this.#ticket(now, request, 0));
    }
    if (this.queue.size >= maxQueue) {
      this.counts.queueFull++;
      return Promise.reject(this.#refusal('queue_full', 'queue full', now));
    }
    return new Promise<Ticket>((resolve, reject) => {
      const waiter: Waiter = { ...request, enqueuedAt: now, resolve, reject, timer: undefined };
      waiter.timer = clock.setTimeout(() => {
        if (!this.queue.remove(waiter)) return;
        this.#forget(waiter);
        this.counts.timeout++;
        reject(
          this.#refusal('timeout', `waited ${queueTimeoutMs / 1000} s in the queue`, clock.now()),
        );
        this.#schedule();
      }, queueTimeoutMs);
      if (request.signal) {
        const signal = request.signal;
        waiter.onAbort = () => {
          if (!this.queue.remove(waiter)) return;
          this.#forget(waiter);
          reject(signal.reason);
          this.#schedule();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.#schedule();
    });
  }

  /** Nothing goes before `until`: a 429's retry-after holds every caller of the key. */
  pause(until: number): void {
    if (this.shared !== undefined && this.fleetWide) {
      const { budgets, lane } = this.shared;
      budgets.pause(lane, until - this.clock.now()).catch(() => {});
    }
    if (until <= this.budget.pausedUntil) return;
    this.budget.pausedUntil = until;
    this.#schedule();
  }

  /** The usage replaces the estimate, here and in the fleet's budget. */
  correct(charge: SharedCharge, input: number | undefined, output: number | undefined): void {
    this.budget.correct(charge, input, output);
    const shared = charge.shared;
    if (shared === undefined || this.shared === undefined) return;
    if (shared.tokens === charge.tokens && shared.output === charge.output) return;
    const { budgets, lane } = this.shared;
    budgets.correct(lane, shared.at, shared, charge).catch(() => {});
    shared.tokens = charge.tokens;
    shared.output = charge.output;
  }

  /** `3 running, 12 waiting, rpm 498/500`. */
  describe(now: number): string {
    const state = this.budget.describe(now);
    return `${this.budget.running} running, ${this.queue.size} waiting${state ? `, ${state}` : ''}`;
  }

  #ticket(
    now: number,
    request: AdmissionRequest,
    waitedMs: number,
    shared?: { id: string; at: number },
  ): Ticket {
    const charge: SharedCharge = this.budget.admit(
      now,
      request.tokens,
      request.retry,
      request.output,
    );
    if (shared !== undefined)
      charge.shared = { ...shared, tokens: charge.tokens, output: charge.output };
    this.wait?.record(waitedMs / 1000);
    let released = false;
    return {
      charge,
      waitedMs,
      release: (headers) => {
        if (released) return;
        released = true;
        this.budget.release(this.clock.now(), headers, charge);
        if (shared !== undefined && this.shared !== undefined)
          void this.shared.budgets.release(this.shared.lane, shared.id);
        this.#schedule();
      },
    };
  }

  /** Shares of the ceiling while the fleet's budget is out of reach; the whole when it is back. */
  #followShared(): void {
    if (this.shared === undefined) return;
    const { budgets } = this.shared;
    let wasUp = budgets.up;
    const update = () => {
      const up = budgets.up;
      // With Redis the fleet's budget counts every replica, and once it has, 1/N of them stands
      // in while it is away; a Redis never reached leaves the part to the provider's headers.
      this.budget.share = up ? 1 : 1 / budgets.replicas;
      this.budget.fleet = up || budgets.wasUp ? undefined : this.#fleetShare;
      if (up !== wasUp) {
        // A hand-over: the budget taking over does not know what the other one admitted in the
        // last second, so nothing goes until that second has passed. Redis back (or up at last)
        // knows the fleet's; only what this replica admitted on its own is unknown to it.
        wasUp = up;
        const now = this.clock.now();
        if (!up || this.budget.admittedSince(now - SECOND_WINDOW_MS) > 0)
          this.budget.pausedUntil = Math.max(this.budget.pausedUntil, now + SECOND_WINDOW_MS);
      }
      this.#schedule();
    };
    budgets.lanes.add(update);
    update();
  }

  /**
   * The fleet-wide path: whoever's turn it is asks the fleet's budget (one script on Redis);
   * admitted, it goes, else it waits what the script said (a slot freed by another replica is
   * not seen here, so a full concurrency is looked at again every 20 ms).
   */
  async #pumpShared(): Promise<'full' | undefined> {
    const { budgets, lane } = this.shared!;
    for (;;) {
      const waiter = this.queue.peek(this.clock.now());
      if (waiter === undefined || !budgets.up) return undefined;
      // A hand-over (or a 429 heard here) holds this replica first.
      const held = this.budget.pausedUntil - this.clock.now();
      if (held > 0) {
        await sleep(this.clock, held);
        continue;
      }
      // One request at a time to learn the provider's ceilings (or a window learned from its
      // 429s) is this replica's own: the fleet's budget holds only configured concurrency.
      const limits = this.budget.effective();
      // Input and output are counted apart in the fleet's budget, for a provider that limits
      // them apart (Anthropic): from the first probe on, before its limits are known.
      const tokens = { tokens: waiter.tokens, output: Math.min(waiter.output ?? 0, waiter.tokens) };
      const local = this.budget.limits.concurrency === undefined ? limits.concurrency : undefined;
      // Full: a release here pumps again.
      if (local !== undefined && this.budget.running >= local) return 'full';
      let admission: Awaited<ReturnType<SharedBudgets['admit']>>;
      try {
        admission = await budgets.admit(lane, tokens, {
          ...limits,
          concurrency: local === undefined ? limits.concurrency : undefined,
        });
      } catch {
        // Out of reach: once the connection says so, the lane falls back to its share.
        await sleep(this.clock, 50);
        continue;
      }
      if (!admission.admitted) {
        const wait = admission.value < 0 ? CONCURRENCY_POLL_MS : admission.value;
        await sleep(this.clock, wait);
        continue;
      }
      if (!this.queue.serve(waiter)) {
        // It left the line (timeout, abort) while the fleet was asked: give back the slot and
        // the charge of an attempt that never went out.
        void budgets.release(lane, admission.id, { at: admission.value, ...tokens });
        continue;
      }
      this.#forget(waiter);
      this.counts.delayed++;
      const now = this.clock.now();
      waiter.resolve(
        this.#ticket(now, waiter, now - waiter.enqueuedAt, {
          id: admission.id,
          at: admission.value,
        }),
      );
    }
  }

  #refusal(reason: 'queue_full' | 'timeout', what: string, now: number): HeadroomGuardError {
    return new HeadroomGuardError(
      reason,
      `Headroom guard: ${what} for ${this.budget.label}: ${this.describe(now)}`,
    );
  }

  #forget(waiter: Waiter): void {
    this.clock.clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  /** Admits whoever's turn it is while the budget has room, then sleeps until it might again. */
  #schedule(): void {
    if (this.#connecting) {
      this.#sleepUntil(Number.POSITIVE_INFINITY);
      return;
    }
    if (this.fleetWide) {
      this.#sleepUntil(Number.POSITIVE_INFINITY);
      if (this.#pumping || this.queue.size === 0) return;
      this.#pumping = true;
      void this.#pumpShared().then(
        (full) => {
          this.#pumping = false;
          if (full === undefined && this.queue.size > 0) this.#schedule();
        },
        () => {
          this.#pumping = false;
        },
      );
      return;
    }
    const { clock } = this;
    for (;;) {
      const waiter = this.queue.peek(this.clock.now());
      if (waiter === undefined) {
        this.#sleepUntil(Number.POSITIVE_INFINITY);
        return;
      }
      const now = clock.now();
      const { at } = this.budget.nextAdmission(now, waiter.tokens, waiter.output);
      if (at > now) {
        this.#sleepUntil(at);
        return;
      }
      this.queue.serve(waiter);
      this.#forget(waiter);
      this.counts.delayed++;
      waiter.resolve(this.#ticket(now, waiter, now - waiter.enqueuedAt));
    }
  }

  /** One timer per lane, for the earliest time a waiter may go; a release wakes it sooner. */
  #sleepUntil(at: number): void {
    if (at === this.#timerAt) return;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = at;
    if (!Number.isFinite(at)) return;
    const { clock } = this;
    this.#timer = clock.setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#schedule();
      },
      // Timers take at most 2³¹ − 1 ms; a later time is looked at again then.
      Math.min(MAX_TIMER_MS, Math.max(0, at - clock.now())),
    );
  }
}

/** Every lane of one Headroom instance, by key × provider × model. */
export class Guard {
  readonly lanes = new Map<string, Lane>();
  /** Connections to the fleet's budgets, by Redis URL. */
  readonly #shared = new Map<string, SharedBudgets>();

  constructor(
    readonly clock: GuardClock = systemClock,
    /** Where lanes draw their random phase: fixed in tests. */
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * The lane of `key × provider × model`; options given later replace earlier ones. With
   * `redis`, its budget is the fleet's, kept in that Redis.
   */
  lane(
    key: string,
    provider: string,
    model: string,
    options: LaneOptions,
    redis?: string | undefined,
  ): Lane {
    const id = `${key}\u0000${provider}\u0000${model}`;
    let lane = this.lanes.get(id);
    if (lane === undefined) {
      const shared =
        redis === undefined
          ? undefined
          : { budgets: this.connect(redis), lane: `${key}:${provider}:${model}` };
      lane = new Lane(
        `${provider}/${model} on key ${key}`,
        options,
        this.clock,
        shared,
        this.random,
      );
      this.lanes.set(id, lane);
    } else if (lane.options !== options) {
      lane.configure(options);
    }
    return lane;
  }

  /** The connection to the fleet's budgets in `redis`, made once per URL. */
  connect(redis: string): SharedBudgets {
    let budgets = this.#shared.get(redis);
    if (budgets === undefined) {
      budgets = SharedBudgets.connect(redis);
      this.#shared.set(redis, budgets);
    }
    return budgets;
  }

  /** Closes the connections to Redis. */
  async close(): Promise<void> {
    await Promise.all([...this.#shared.values()].map((budgets) => budgets.close()));
    this.#shared.clear();
  }
}
