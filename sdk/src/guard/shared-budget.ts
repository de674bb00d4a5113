import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Limits } from './budget.js';
/**
 * The fleet's per-second window: longer than one process's, since an admission on the Redis
 * clock and its arrival at the provider are further apart when the replicas are busy processes.
 */
export const FLEET_SECOND_WINDOW_MS = 1050;

/**
 * Admits one attempt against the fleet's budget, atomically, on the Redis server's clock.
 * KEYS: 1 admissions (zset: member `id:tokens`, score ms), 2 leases in flight (zset: member id,
 * score expiry ms), 3 pause (string with a TTL).
 * ARGV: 1 id, 2 tokens, 3 rpm, 4 tpm, 5 concurrency (0: none), 6 second window ms, 7 lease ms.
 * Returns `{1, now}` when admitted, else `{0, ms to wait}`.
 */
const ADMIT = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local paused = redis.call('PTTL', KEYS[3])
if paused > 0 then return {0, paused} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local id = ARGV[1]
local tokens = tonumber(ARGV[2])
local rpm = tonumber(ARGV[3])
local tpm = tonumber(ARGV[4])
local concurrency = tonumber(ARGV[5])
local window = tonumber(ARGV[6])
local lease = tonumber(ARGV[7])
if concurrency > 0 and redis.call('ZCARD', KEYS[2]) >= concurrency then return {0, -1} end
local wait = 0
local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local count = #entries / 2
local function score(index) return tonumber(entries[index * 2]) end
local function charged(index)
  local member = entries[index * 2 - 1]
  return tonumber(string.sub(member, string.find(member, ':', 1, true) + 1))
end
local recent = count + 1
for index = count, 1, -1 do
  if score(index) > now - window then recent = index else break end
end
if rpm > 0 then
  if count >= rpm then wait = math.max(wait, score(count - rpm + 1) + 60000 - now) end
  local share = math.ceil(rpm / 60)
  if count - recent + 1 >= share then
    wait = math.max(wait, score(count - share + 1) + window - now)
  end
end
local function room(from, budget, span)
  local want = math.min(tokens, budget)
  local used = 0
  for index = from, count do used = used + charged(index) end
  if used + want <= budget or used == 0 then return 0 end
  for index = from, count do
    used = used - charged(index)
    if used + want <= budget or used == 0 then return score(index) + span - now end
  end
  return 0
end
if tpm > 0 then
  wait = math.max(wait, room(1, tpm, 60000))
  wait = math.max(wait, room(recent, math.ceil(tpm / 60), window))
end
if wait > 0 then return {0, wait} end
redis.call('ZADD', KEYS[1], now, id .. ':' .. tokens)
redis.call('PEXPIRE', KEYS[1], 61000)
if concurrency > 0 then
  redis.call('ZADD', KEYS[2], now + lease, id)
  redis.call('PEXPIRE', KEYS[2], lease + 1000)
end
return {1, now}
`;

/** KEYS: 1 admissions; ARGV: 1 old member, 2 new member, 3 score. */
const CORRECT = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2]) end
return 1
`;

/** KEYS: 1 leases, 2 admissions; ARGV: 1 id, 2 admission member or ''. Frees a slot, and an
 * admission whose attempt never went out. */
const CANCEL = `
redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[2] ~= '' then redis.call('ZREM', KEYS[2], ARGV[2]) end
return 1
`;

/** KEYS: 1 leases; ARGV: 1 lease ms, 2… ids. Extends the leases of attempts still running. */
const RENEW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
for index = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[index]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 1000)
return 1
`;

/** KEYS: 1 pause; ARGV: 1 ms. Only ever lengthens the pause. */
const PAUSE = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1
`;

/** How long the first calls wait for the first connection before going without it. */
const CONNECT_WAIT_MS = 3000;
/** How long a replica counts as live after its last heartbeat. */
const REPLICA_TTL_MS = 5000;
/** Each replica says it is alive, and counts the others, this often: two commands. */
const HEARTBEAT_MS = 1000;
/** A replica that dies mid-call frees its slot after this; live attempts renew their leases. */
const LEASE_MS = 60_000;
const RENEW_MS = 20_000;
/** Script failures in a row (the connection up) after which the fleet's budget counts as down. */
const FAILURES_TO_FALL_BACK = 3;
/** How long a budget down for script failures stays down before it is tried again. */
const RETRY_AFTER_FAILURES_MS = 30_000;
/** How often a lane full of the fleet's attempts looks again (releases elsewhere are not seen). */
export const CONCURRENCY_POLL_MS = 20;

export interface SharedAdmission {
  admitted: boolean;
  /** Admitted: the server's time of the charge. Not admitted: ms to wait, -1 for a slot. */
  value: number;
  id: string;
}

interface RedisLike {
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
  zrem(key: string, member: string): Promise<unknown>;
  zadd(key: string, score: number, member: string): Promise<unknown>;
  zcount(key: string, min: number | string, max: number | string): Promise<number>;
  zremrangebyscore(key: string, min: number | string, max: number | string): Promise<unknown>;
  time(): Promise<[string, string]>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
  status: string;
}

/**
 * The fleet-wide half of the guard: every replica's admissions of one Redis, checked and
 * charged by one script on the server, so no two replicas can both take the last slot. The
 * connection fails fast (no offline queue): a call never waits on a Redis that is gone.
 */
export class SharedBudgets {
  readonly #redis: RedisLike;
  readonly #replica = randomUUID();
  readonly #heartbeat: NodeJS.Timeout;
  /** Live replicas at the last heartbeat, this one included: the divisor of the fallback. */
  replicas = 1;
  /** Each lane's way to hear that reachability or the replica count changed. */
  readonly lanes = new Set<() => void>();
  #up = false;
  /** Whether it was ever reachable: only then is losing it news. */
  #wasUp = false;
  /** Until the first connection is made or fails, lanes hold their calls. */
  #connecting = true;
  #closing = false;
  /** Leases of attempts running now, by leases key: renewed until released. */
  readonly #running = new Map<string, Set<string>>();
  /** Slots and admissions to give back once Redis answers again. */
  readonly #owed = new Map<string, { leases: string; admissions: string; member: string }>();
  #failures = 0;
  #failedUntil = 0;
  #lastSaid = '';
  readonly #renewal: NodeJS.Timeout;

  private constructor(
    redis: RedisLike,
    readonly url: string,
    readonly prefix: string,
  ) {
    this.#redis = redis;
    redis.on('ready', () => {
      void this.#beat();
      this.#set(true);
    });
    redis.on('error', (error: unknown) => this.#set(false, error));
    // The first sign of a lost connection: lanes must not keep a whole share one moment longer.
    redis.on('close', () => this.#set(false, new Error('connection closed')));
    redis.on('end', () => this.#set(false));
    // A first connection that takes too long counts as failed: calls do not wait on it.
    setTimeout(() => this.#set(this.#up), CONNECT_WAIT_MS).unref();
    this.#heartbeat = setInterval(() => void this.#beat(), HEARTBEAT_MS);
    this.#heartbeat.unref();
    this.#renewal = setInterval(() => void this.#renew(), RENEW_MS);
    this.#renewal.unref();
  }

  /** Connects in the background; until it is ready, lanes keep to their share. */
  static connect(url: string, prefix = 'headroom:guard'): SharedBudgets {
    let module: any;
    try {
      module = createRequire(import.meta.url)('ioredis');
    } catch {
      throw new Error(
        'Headroom guard: `redis` needs the ioredis package (npm install ioredis@~6.0.0)',
      );
    }
    const Redis = module.Redis ?? module.default;
    const redis: RedisLike = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 500,
      connectTimeout: 2000,
      retryStrategy: (times: number) => Math.min(2000, 100 * times),
    });
    return new SharedBudgets(redis, url, prefix);
  }

  /** Reachable: every lane's share follows this one flag, set by the connection's events. */
  get up(): boolean {
    return this.#up;
  }

  get connecting(): boolean {
    return this.#connecting;
  }

  async admit(lane: string, tokens: number, limits: Limits): Promise<SharedAdmission> {
    const id = randomUUID();
    const keys = this.#keys(lane);
    let result: [number, number];
    try {
      result = (await this.#redis.eval(
        ADMIT,
        3,
        keys.admissions,
        keys.leases,
        keys.pause,
        id,
        tokens,
        limits.rpm ?? 0,
        limits.tpm ?? 0,
        limits.concurrency ?? 0,
        FLEET_SECOND_WINDOW_MS,
        LEASE_MS,
      )) as [number, number];
    } catch (error) {
      // It may have run on the server before the answer was lost: give it back when we can.
      this.#owed.set(id, { ...keys, member: `${id}:${tokens}` });
      this.#failed(error);
      throw error;
    }
    this.#failures = 0;
    const [admitted, value] = result;
    if (admitted === 1 && limits.concurrency !== undefined) {
      let running = this.#running.get(keys.leases);
      if (running === undefined) {
        running = new Set();
        this.#running.set(keys.leases, running);
      }
      running.add(id);
    }
    return { admitted: admitted === 1, value, id };
  }

  /**
   * The attempt is over: its slot is free. `unsent` (its admission member) also takes back the
   * charge of an attempt that never went out. Never throws: what cannot be given back now is
   * given back once Redis answers again.
   */
  async release(lane: string, id: string, unsent?: string): Promise<void> {
    const keys = this.#keys(lane);
    this.#running.get(keys.leases)?.delete(id);
    try {
      await this.#redis.eval(CANCEL, 2, keys.leases, keys.admissions, id, unsent ?? '');
    } catch {
      this.#owed.set(id, { ...keys, member: unsent ?? '' });
    }
  }

  async correct(lane: string, id: string, at: number, from: number, to: number): Promise<void> {
    await this.#redis.eval(
      CORRECT,
      1,
      `${this.prefix}:${lane}:admissions`,
      `${id}:${from}`,
      `${id}:${to}`,
      at,
    );
  }

  /** The whole fleet waits: the provider said so to one of us. */
  async pause(lane: string, ms: number): Promise<void> {
    await this.#redis.eval(PAUSE, 1, `${this.prefix}:${lane}:pause`, Math.ceil(ms));
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    clearInterval(this.#renewal);
    this.lanes.clear();
    if (this.#redis.status === 'ready') {
      await this.#redis.zrem(`${this.prefix}:replicas`, this.#replica).catch(() => {});
      await this.#redis.quit().catch(() => this.#redis.disconnect());
    } else {
      this.#redis.disconnect();
    }
  }

  #keys(lane: string) {
    return {
      admissions: `${this.prefix}:${lane}:admissions`,
      leases: `${this.prefix}:${lane}:leases`,
      pause: `${this.prefix}:${lane}:pause`,
    };
  }

  /** A command failed. With the connection up (a script error, a timeout), a few in a row
   * count as down for a while: calls must not wait on a budget that keeps failing. */
  #failed(error: unknown): void {
    if (this.#redis.status !== 'ready') return;
    this.#failures++;
    if (this.#failures < FAILURES_TO_FALL_BACK) return;
    this.#failures = 0;
    this.#failedUntil = Date.now() + RETRY_AFTER_FAILURES_MS;
    this.#set(false, error);
  }

  #set(up: boolean, error?: unknown): void {
    if (this.#closing) return;
    const first = this.#connecting;
    this.#connecting = false;
    // Up again is believed only once a budget that failed has waited its time.
    if (up && Date.now() < this.#failedUntil) up = false;
    if (up === this.#up && !first) return;
    this.#up = up;
    const why = error instanceof Error ? ` (${error.message})` : '';
    if (!up && first) {
      this.#say(
        `Redis at ${this.url} cannot be reached${why}: until it can, this replica keeps to the whole ceilings, not knowing how many others share them`,
      );
    } else if (up && this.#wasUp) {
      this.#say(`Redis at ${this.url} is back: the fleet shares one budget again`);
      void this.#settle();
    } else if (!up && this.#wasUp) {
      this.#say(
        `Redis at ${this.url} is out of reach${why}: each of ${this.replicas} replicas keeps to 1/${this.replicas} of the ceilings until it is back`,
      );
    }
    if (up) this.#wasUp = true;
    for (const lane of this.lanes) lane();
  }

  /** The same state said twice in a row (a budget that keeps failing) is said once. */
  #say(line: string): void {
    if (line === this.#lastSaid) return;
    this.#lastSaid = line;
    say(line);
  }

  /** Gives back the slots and admissions owed since Redis stopped answering. */
  async #settle(): Promise<void> {
    for (const [id, owed] of [...this.#owed]) {
      try {
        await this.#redis.eval(CANCEL, 2, owed.leases, owed.admissions, id, owed.member);
        this.#owed.delete(id);
      } catch {
        return;
      }
    }
  }

  /** Extends the leases of the attempts running now, so a long stream keeps its slot. */
  async #renew(): Promise<void> {
    if (!this.#up) return;
    for (const [leases, ids] of this.#running) {
      if (ids.size === 0) continue;
      await this.#redis.eval(RENEW, 1, leases, LEASE_MS, ...ids).catch(() => {});
    }
  }

  /** Says this replica is alive, counts the live ones, and retries a budget that failed. */
  async #beat(): Promise<void> {
    if (this.#redis.status !== 'ready') return;
    if (!this.#up && !this.#connecting && Date.now() >= this.#failedUntil) this.#set(true);
    if (this.#owed.size > 0) await this.#settle();
    try {
      const [seconds, micros] = await this.#redis.time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      const key = `${this.prefix}:replicas`;
      await this.#redis.zadd(key, now + REPLICA_TTL_MS, this.#replica);
      await this.#redis.zremrangebyscore(key, '-inf', now);
      const replicas = Math.max(1, await this.#redis.zcount(key, now, '+inf'));
      if (replicas !== this.replicas) {
        this.replicas = replicas;
        for (const lane of this.lanes) lane();
      }
    } catch {
      // The error event says it; the last count stands.
    }
  }
}

/** One line on stderr per change of state: the app's own log, not a telemetry fault. */
function say(line: string): void {
  console.warn(`[headroom] guard: ${line}`);
}
