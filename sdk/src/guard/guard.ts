import { Budget, type Charge, type Limits } from './budget.js';
import { type GuardClock, systemClock } from './clock.js';
import { FairQueue } from './fair-queue.js';
import { HeadroomGuardError } from './guard-error.js';

/** How one key × provider × model is guarded. */
export interface LaneOptions {
  limits: Limits;
  /** Calls that may wait; one more is refused at once. */
  maxQueue: number;
  /** How long a call may wait for its turn before it is refused. */
  queueTimeoutMs: number;
}

export const DEFAULT_MAX_QUEUE = 10_000;
export const DEFAULT_QUEUE_TIMEOUT_MS = 60_000;

/** What a call asks of its key's budget for one HTTP attempt. */
export interface AdmissionRequest {
  tenant: string;
  /** Estimated tokens: the prompt's and max_tokens (or the average output seen). */
  tokens: number;
  retry: boolean;
  signal?: AbortSignal | null | undefined;
}

/** An admitted attempt: release it once, when its response (or its failure) is in. */
export interface Ticket {
  readonly charge: Charge;
  readonly waitedMs: number;
  release(headers?: { get(name: string): string | null }): void;
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

  constructor(
    label: string,
    public options: LaneOptions,
    private readonly clock: GuardClock,
  ) {
    this.budget = new Budget(label, options.limits);
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
    // First come: nobody waits ahead, and the budget has room.
    if (this.queue.size === 0 && this.budget.nextAdmission(now, request.tokens).at <= now) {
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
    if (until <= this.budget.pausedUntil) return;
    this.budget.pausedUntil = until;
    this.#schedule();
  }

  /** `3 running, 12 waiting, rpm 498/500`. */
  describe(now: number): string {
    const state = this.budget.describe(now);
    return `${this.budget.running} running, ${this.queue.size} waiting${state ? `, ${state}` : ''}`;
  }

  #ticket(now: number, request: AdmissionRequest, waitedMs: number): Ticket {
    const charge = this.budget.admit(now, request.tokens, request.retry);
    this.wait?.record(waitedMs / 1000);
    let released = false;
    return {
      charge,
      waitedMs,
      release: (headers) => {
        if (released) return;
        released = true;
        this.budget.release(this.clock.now(), headers);
        this.#schedule();
      },
    };
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
    const { clock } = this;
    for (;;) {
      const waiter = this.queue.peek();
      if (waiter === undefined) {
        this.#sleepUntil(Number.POSITIVE_INFINITY);
        return;
      }
      const now = clock.now();
      const { at } = this.budget.nextAdmission(now, waiter.tokens);
      if (at > now) {
        this.#sleepUntil(at);
        return;
      }
      this.queue.shift();
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
      Math.max(0, at - clock.now()),
    );
  }
}

/** Every lane of one Headroom instance, by key × provider × model. */
export class Guard {
  readonly lanes = new Map<string, Lane>();

  constructor(readonly clock: GuardClock = systemClock) {}

  /** The lane of `key × provider × model`; options given later replace earlier ones. */
  lane(key: string, provider: string, model: string, options: LaneOptions): Lane {
    const id = `${key}\u0000${provider}\u0000${model}`;
    let lane = this.lanes.get(id);
    if (lane === undefined) {
      lane = new Lane(`${provider}/${model} on key ${key}`, options, this.clock);
      this.lanes.set(id, lane);
    } else if (lane.options !== options) {
      lane.configure(options);
    }
    return lane;
  }
}
