import { SecondRing } from './second-ring.js';

/** Seconds a replica counts as present after its last export. */
export const REPLICA_TTL_SECONDS = 60;

/** What one replica (one `service.instance.id`) contributes to a key. */
export class ReplicaShare {
  readonly requests = new SecondRing(120);
  /** Latest in-flight value of each of the replica's streams (nodes, tenants) on this key. */
  readonly active = new Map<string, number>();
  /** Latest peak-since-last-export of each stream. */
  readonly peaks = new Map<string, number>();
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

  activeNow(): number {
    let total = 0;
    for (const value of this.active.values()) total += value;
    return total;
  }

  peakNow(): number {
    let total = 0;
    for (const value of this.peaks.values()) total += value;
    return total;
  }
}

/** The latest limits a provider reported for a key, by `headroom.ratelimit.dimension`. */
export interface LearnedLimits {
  requests?: number;
  tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
}

/** What the replicas' guards did on a key: attempts let go, after a wait, calls refused, waits. */
export class GuardSeries {
  readonly admitted = new SecondRing();
  readonly delayed = new SecondRing();
  readonly rejected = new SecondRing();
  readonly waitSeconds = new SecondRing();
  readonly waits = new SecondRing();
}

/** Counts since the collector first saw the key, never windowed: Prometheus counters, totals. */
export interface KeyTotals {
  requests: number;
  rateLimited: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

/** One key × provider × model, summed over replicas, second by second for the last hour. */
export class KeySeries {
  readonly requests = new SecondRing();
  readonly rateLimited = new SecondRing();
  readonly calls = new SecondRing();
  readonly inputTokens = new SecondRing();
  readonly outputTokens = new SecondRing();
  /** Fleet-wide peak in flight in each second: the sum of the replicas' peaks. */
  readonly peakActive = new SecondRing();
  readonly replicas = new Map<string, ReplicaShare>();
  readonly learned: LearnedLimits = {};
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
  ) {}

  /** The guard's figures, made when a replica first reports any. */
  guardSeries(): GuardSeries {
    this.guard ??= new GuardSeries();
    return this.guard;
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
    this.totals.calls += amount;
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

  replica(instance: string, service: string, second: number): ReplicaShare {
    let share = this.replicas.get(instance);
    if (share === undefined) {
      share = new ReplicaShare(instance, service);
      this.replicas.set(instance, share);
    }
    share.lastSeen = second;
    return share;
  }

  /** Replicas that exported within the last minute. */
  liveReplicas(second: number): ReplicaShare[] {
    return [...this.replicas.values()].filter(
      (share) => share.lastSeen > second - REPLICA_TTL_SECONDS,
    );
  }

  activeNow(second: number): number {
    let total = 0;
    for (const share of this.liveReplicas(second)) total += share.activeNow();
    return total;
  }
}
