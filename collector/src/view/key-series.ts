import type { KeyTotals, RetryLayer } from '@headroom/contract';
import { RecencyTable } from './recency-table.js';
import { SecondRing } from './second-ring.js';

/**
 * Seconds a replica counts as present after its last export: fleet sums and peaks include only
 * the replicas (and their streams) seen within it, and the minute's prune forgets the rest.
 */
export const REPLICA_TTL_SECONDS = 60;

/** Seconds of call starts kept per key: the window, and room for the ring's chunks. */
const STARTS_SECONDS = 128;

/** A level or peak one stream last reported, and the second it did. */
export interface Reported {
  value: number;
  seenAt: number;
}

/** Whether something seen at `seenAt` still counts at `second`. */
export function live(seenAt: number, second: number): boolean {
  return seenAt > second - REPLICA_TTL_SECONDS;
}

/** The sum of the values reported within the replica TTL. */
export function liveSum(reports: Iterable<Reported>, second: number): number {
  let total = 0;
  for (const { value, seenAt } of reports) if (live(seenAt, second)) total += value;
  return total;
}

/** Forgets the reports older than the replica TTL. */
export function pruneReports(reports: Map<string, Reported>, second: number): void {
  for (const [id, { seenAt }] of reports) if (!live(seenAt, second)) reports.delete(id);
}

/** What one replica (one `service.instance.id`) contributes to a key. */
export class ReplicaShare {
  readonly requests = new SecondRing(120);
  /**
   * Latest in-flight value of each of the replica's streams (nodes, tenants) on this key. Bound:
   * the streams the replica reported within the TTL, after each prune.
   */
  readonly active = new Map<string, Reported>();
  /** Latest peak-since-last-export of each stream; bound as `active`. */
  readonly peaks = new Map<string, Reported>();
  /** Calls waiting in the replica's guard at its last export; undefined when it has no guard. */
  guardWaiting: number | undefined;
  /**
   * The replica's own peak over all its streams on the key (`headroom.key.calls.active.max`):
   * exact, where adding the streams' peaks counts calls that never overlapped.
   */
  keyPeak: number | undefined;
  lastSeen = 0;
  constructor(
    readonly instance: string,
    readonly service: string,
  ) {}

  activeNow(second: number): number {
    return liveSum(this.active.values(), second);
  }

  peakNow(second: number): number {
    return liveSum(this.peaks.values(), second);
  }

  prune(second: number): void {
    pruneReports(this.active, second);
    pruneReports(this.peaks, second);
  }
}

/** The latest limits a provider reported for a key, by `headroom.ratelimit.dimension`. */
export interface LearnedLimits {
  requests?: number;
  tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
}

/** The organization and project the provider named on the key's ratelimit gauges (OpenAI). */
export interface KeyAccount {
  organization: string;
  project?: string;
}

/** What the replicas' guards did on a key: attempts let go, after a wait, calls refused, waits. */
export class GuardSeries {
  readonly admitted = new SecondRing();
  readonly delayed = new SecondRing();
  readonly rejected = new SecondRing();
  readonly waitSeconds = new SecondRing();
  readonly waits = new SecondRing();
  /**
   * Calls waiting in the guards, summed over the live replicas, as it stood after each export
   * of the second (the most, when several came): the snapshot's `guard.waiting` second by second.
   */
  readonly waiting = new SecondRing();
  /** The snapshot's `activeAtProvider` after each export of the second, the most: in flight less waiting. */
  readonly atProvider = new SecondRing();
}

/** One key × provider × model, summed over replicas, second by second for the last hour. */
export class KeySeries {
  /** When it was admitted after it had been dropped (ms): see CounterState.increment. */
  readmittedAt: number | undefined;
  readonly requests = new SecondRing();
  readonly rateLimited = new SecondRing();
  readonly calls = new SecondRing();
  readonly inputTokens = new SecondRing();
  readonly outputTokens = new SecondRing();
  /** `headroom.retries` by layer, made when a replica first reports one. */
  retries: Record<RetryLayer, SecondRing> | undefined;
  /** Fleet-wide peak in flight in each second: the sum of the replicas' peaks. */
  readonly peakActive = new SecondRing();
  /**
   * Logical calls started in each second: the calls that ended in it plus the rise of the
   * in-flight levels reported in it (see `callBursts`). Over the last two minutes only.
   */
  readonly started = new SecondRing(STARTS_SECONDS);
  /** Seconds in which any replica's in-flight level reached the key: 1 each. */
  readonly exports = new SecondRing(STARTS_SECONDS);
  /**
   * The replicas on the key, by instance. Cap: `limits.replicasPerKey`; a replica gone past the
   * TTL makes room for a new one, and the prune evicts those past it.
   */
  readonly replicas: RecencyTable<ReplicaShare>;
  readonly learned: LearnedLimits = {};
  /** The latest `remaining` a provider reported for the key, by dimension, and when it came. */
  readonly remaining: Partial<Record<keyof LearnedLimits, Reported>> = {};
  /** Whose budget the latest limit reading was charged to; undefined when the provider named none. */
  account: KeyAccount | undefined;
  /** The guard's figures, second by second, when any replica guards the key. */
  guard: GuardSeries | undefined;
  readonly totals: KeyTotals = {
    requests: 0,
    rateLimited: 0,
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
  };

  constructor(
    readonly key: string,
    readonly provider: string,
    readonly model: string,
    /** The second the key was first seen: a key younger than the window has fewer seconds to average over. */
    readonly firstSecond: number,
    maxReplicas: number,
  ) {
    // Silent for more than TTL - 1 seconds is exactly no longer live: it may make room.
    this.replicas = new RecencyTable(maxReplicas, REPLICA_TTL_SECONDS - 1);
  }

  /** The last second any point reached the key (kept by the view's table). */
  lastSeen = 0;

  /** The guard's figures, made when a replica first reports any. */
  guardSeries(): GuardSeries {
    this.guard ??= new GuardSeries();
    return this.guard;
  }

  /**
   * After a replica's export reached the key: the guard's levels second by second, as the
   * snapshot computes them (in flight and waiting are both levels at the replicas' exports, so
   * the difference is exact, where a peak less a level is not).
   */
  recordGuardLevels(second: number): void {
    const guard = this.guard;
    if (guard === undefined) return;
    let waiting = 0;
    let active = 0;
    for (const share of this.liveReplicas(second)) {
      waiting += share.guardWaiting ?? 0;
      active += share.activeNow(second);
    }
    guard.waiting.max(second, waiting);
    guard.atProvider.max(second, Math.max(0, active - waiting));
  }

  /** HTTP attempts that ended in `second`; `rateLimited` when they were 429s. */
  addRequests(second: number, amount: number, rateLimited: boolean): void {
    this.requests.add(second, amount);
    this.totals.requests += amount;
    if (rateLimited) {
      this.rateLimited.add(second, amount);
      this.totals.rateLimited += amount;
    }
  }

  addCalls(second: number, amount: number): void {
    this.calls.add(second, amount);
    this.started.add(second, amount);
    this.totals.calls += amount;
  }

  addRetries(second: number, amount: number, layer: RetryLayer): void {
    this.retries ??= {
      client: new SecondRing(STARTS_SECONDS),
      framework: new SecondRing(STARTS_SECONDS),
      app: new SecondRing(STARTS_SECONDS),
    };
    this.retries[layer].add(second, amount);
  }

  addTokens(second: number, amount: number, output: boolean): void {
    if (output) {
      this.outputTokens.add(second, amount);
      this.totals.outputTokens += amount;
    } else {
      this.inputTokens.add(second, amount);
      this.totals.inputTokens += amount;
    }
  }

  /** The replica's share, marked seen; undefined when the key's replicas are full (dropped). */
  replica(instance: string, service: string, second: number): ReplicaShare | undefined {
    return this.replicas.take(instance, second, () => new ReplicaShare(instance, service));
  }

  /** Replicas that exported within the TTL. */
  liveReplicas(second: number): ReplicaShare[] {
    const result: ReplicaShare[] = [];
    for (const share of this.replicas.values())
      if (live(share.lastSeen, second)) result.push(share);
    return result;
  }

  activeNow(second: number): number {
    let total = 0;
    for (const share of this.replicas.values())
      if (live(share.lastSeen, second)) total += share.activeNow(second);
    return total;
  }

  /** Forgets the replicas, and the streams, gone past the TTL. */
  prune(second: number): void {
    this.replicas.prune(second - REPLICA_TTL_SECONDS + 1);
    for (const share of this.replicas.values()) share.prune(second);
  }
}
