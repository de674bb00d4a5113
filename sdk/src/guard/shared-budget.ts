import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { type Limits, SECOND_WINDOW_MS } from './budget.js';
/**
 * The fleet's per-second window: one process's, 50 ms over a second, for the jitter between an
 * admission on the Redis clock and its arrival at the provider.
 */
export const FLEET_SECOND_WINDOW_MS = SECOND_WINDOW_MS;

/** The fleet's windows count in buckets of these: each a few fields of one hash on Redis. */
export const SECOND_BUCKET_MS = 10;
export const MINUTE_BUCKET_MS = 500;

/**
 * The fleet's windows as buckets with running totals, so admitting costs the same at 30,000 RPM
 * as at 30: each admission adds to its bucket and to the totals, and the buckets that left a
 * window since the last admission are taken off once. The buckets that hold anything are
 * chained in time order, so a sweep or a wait reads those and never the empty ones between
 * them. An admission counts until its bucket's end plus the window: at most one bucket longer
 * than exact. Four measures: `r` requests, `t` tokens, `i` input and `o` output tokens (a
 * provider that limits input and output apart, as Anthropic does). Hash fields, for the second
 * (`s`, markers `S`) and the minute (`m`, `M`): `S` the last bucket swept out of the window,
 * `Sf`/`Sh` the first and the last bucket in the chain, `sn<i>` the bucket after bucket i, `sr`
 * `st` `si` `so` the totals, `sr<i>` … per bucket (a measure with nothing in a bucket has no
 * field there; every bucket in the chain has its `r`).
 */
const WINDOWS = `
local SB = ${SECOND_BUCKET_MS}
local MB = ${MINUTE_BUCKET_MS}
local MEASURES = { 'r', 't', 'i', 'o' }
local function field(name) return tonumber(redis.call('HGET', KEYS[1], name) or '0') or 0 end
local function number(name) return tonumber(redis.call('HGET', KEYS[1], name)) end
-- Takes the chained buckets at or before the window's start off the totals.
local function sweep(now, window, size, W, w)
  local last = math.floor((now - window) / size) - 1
  local from = number(W)
  if from ~= nil and last <= from then return end
  redis.call('HSET', KEYS[1], W, last)
  if from == nil then return end
  local index = number(W .. 'f')
  local names = {}
  while index ~= nil and index <= last do
    for _, m in ipairs(MEASURES) do names[#names + 1] = w .. m .. index end
    local next_index = number(w .. 'n' .. index)
    names[#names + 1] = w .. 'n' .. index
    index = next_index
  end
  if #names == 0 then return end
  local values = redis.call('HMGET', KEYS[1], unpack(names))
  local gone = { 0, 0, 0, 0 }
  for at = 1, #values do
    local m = (at - 1) % 5 + 1
    if m <= 4 then gone[m] = gone[m] + (tonumber(values[at]) or 0) end
  end
  redis.call('HDEL', KEYS[1], unpack(names))
  for m, amount in ipairs(gone) do
    if amount ~= 0 then redis.call('HINCRBY', KEYS[1], w .. MEASURES[m], -amount) end
  end
  if index == nil then
    redis.call('HDEL', KEYS[1], W .. 'f', W .. 'h')
  else
    redis.call('HSET', KEYS[1], W .. 'f', index)
  end
end
-- Adds amounts (requests, tokens, input, output) to the buckets of at still in their windows.
-- A hash that expired (nothing admitted for a minute) has no S: it is not brought back, since
-- without its sweep markers and TTL its totals would never leave.
local WINDOWS_OF = { { SB, 'S', 's' }, { MB, 'M', 'm' } }
local function add(at, amounts)
  if not redis.call('HGET', KEYS[1], 'S') then return end
  for _, w in ipairs(WINDOWS_OF) do
    local size, W, prefix = w[1], w[2], w[3]
    local index = math.floor(at / size)
    if index > field(W) then
      local tail = number(W .. 'h')
      if tail == nil or index > tail then
        -- A new bucket, after the chain's last.
        if tail == nil then
          redis.call('HSET', KEYS[1], W .. 'f', index)
        else
          redis.call('HSET', KEYS[1], prefix .. 'n' .. tail, index)
        end
        redis.call('HSET', KEYS[1], W .. 'h', index)
      elseif index < tail and redis.call('HEXISTS', KEYS[1], prefix .. 'r' .. index) == 0 then
        -- Before the chain's last but not in it (the server's clock stepped back): the last
        -- bucket holds it, a little longer than exact.
        index = tail
      end
      for m, amount in ipairs(amounts) do
        if amount ~= 0 or m == 1 then
          redis.call('HINCRBY', KEYS[1], prefix .. MEASURES[m] .. index, amount)
          if amount ~= 0 then redis.call('HINCRBY', KEYS[1], prefix .. MEASURES[m], amount) end
        end
      end
    end
  end
end
`;

/**
 * Admits one attempt against the fleet's budget, atomically, on the Redis server's clock.
 * KEYS: 1 windows (hash, above), 2 leases in flight (zset: member id, score expiry ms), 3 pause
 * (string with a TTL). ARGV: 1 id, 2 tokens, 3 rpm, 4 tpm, 5 concurrency (0: none), 6 second
 * window ms, 7 lease ms, 8 of the tokens the output's ('' when not counted apart), 9 itpm, 10 otpm
 * (a limit 0: none).
 * Returns `{1, now}` when admitted, else `{0, ms to wait}` (-1: a slot).
 */
const ADMIT = `${WINDOWS}
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local paused = redis.call('PTTL', KEYS[3])
if paused > 0 then return {0, paused} end
local id = ARGV[1]
local tokens = tonumber(ARGV[2])
-- Input and output are counted apart only for a lane that limits them apart.
local output = ARGV[8] ~= '' and math.min(tonumber(ARGV[8]), tokens) or nil
local amounts = { 1, tokens, output and tokens - output or 0, output or 0 }
local limits = { tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[9]), tonumber(ARGV[10]) }
local concurrency = tonumber(ARGV[5])
local window = tonumber(ARGV[6])
local lease = tonumber(ARGV[7])
if concurrency > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= concurrency then return {0, -1} end
end
sweep(now, window, SB, 'S', 's')
sweep(now, 60000, MB, 'M', 'm')
-- How long until the oldest buckets free enough: the first one after which what is left, plus
-- this attempt, fits the budget (or nothing is left: one attempt always fits an empty window).
-- W and w name the window (its markers and its chain), measure the measure.
local function until_fits(total, want, budget, W, w, measure, size, span)
  if total + want <= budget or total == 0 then return 0 end
  local index = number(W .. 'f')
  local last = index
  while index ~= nil do
    last = index
    total = total - field(w .. measure .. index)
    if total + want <= budget or total <= 0 then return (index + 1) * size + span - now end
    index = number(w .. 'n' .. index)
  end
  return ((last or math.floor(now / size)) + 1) * size + span - now
end
local wait = 0
for m, limit in ipairs(limits) do
  if limit > 0 then
    -- A request bigger than a whole budget goes alone, into an empty window.
    local name = MEASURES[m]
    local want = math.min(amounts[m], limit)
    wait = math.max(wait, until_fits(field('m' .. name), want, limit, 'M', 'm', name, MB, 60000))
    local second = math.ceil(limit / 60)
    want = math.min(amounts[m], second)
    wait = math.max(wait, until_fits(field('s' .. name), want, second, 'S', 's', name, SB, window))
  end
end
if wait > 0 then return {0, wait} end
add(now, amounts)
redis.call('PEXPIRE', KEYS[1], 61000 + MB)
if concurrency > 0 then
  redis.call('ZADD', KEYS[2], now + lease, id)
  redis.call('PEXPIRE', KEYS[2], lease + 1000)
end
return {1, now}
`;

/** KEYS: 1 windows; ARGV: 1 admitted at (server ms), 2 tokens more (or fewer) than charged, 3 of
 * them output ('' when not counted apart). */
const CORRECT = `${WINDOWS}
local tokens = tonumber(ARGV[2])
local output = tonumber(ARGV[3])
add(tonumber(ARGV[1]), { 0, tokens, output and tokens - output or 0, output or 0 })
return 1
`;

/** KEYS: 1 windows, 2 leases; ARGV: 1 id, 2 admitted at or '', 3 tokens, 4 of them output (''
 * when not counted apart). Frees a slot, and the charge of an attempt that never went out. */
const CANCEL = `${WINDOWS}
redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[2] ~= '' then
  local tokens = tonumber(ARGV[3])
  local output = tonumber(ARGV[4])
  add(tonumber(ARGV[2]), { -1, -tokens, output and output - tokens or 0, output and -output or 0 })
end
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

interface LaneKeys {
  windows: string;
  leases: string;
  pause: string;
}

/**
 * Tokens charged for an attempt: in all, and of them the output's when the lane limits input and
 * output apart (undefined: counted in all only).
 */
export interface TokenCharge {
  tokens: number;
  output?: number | undefined;
}

/** An admitted attempt that never went out: when it was charged (server time), and how much. */
export interface Unsent extends TokenCharge {
  at: number;
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
  /** Slots and charges to give back once Redis answers again. */
  readonly #owed = new Map<string, { keys: LaneKeys; unsent?: Unsent }>();
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
      // No INFO before `ready`: one round trip less, and on a busy start-up no ready check to
      // time out (a Redis still loading answers LOADING, which counts as a failed script).
      enableReadyCheck: false,
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

  /** Whether it was ever reachable (then the replica count is known). */
  get wasUp(): boolean {
    return this.#wasUp;
  }

  async admit(
    lane: string,
    { tokens, output }: TokenCharge,
    limits: Limits,
  ): Promise<SharedAdmission> {
    const id = randomUUID();
    const keys = this.#keys(lane);
    let result: [number, number];
    try {
      result = (await this.#redis.eval(
        ADMIT,
        3,
        keys.windows,
        keys.leases,
        keys.pause,
        id,
        tokens,
        limits.rpm ?? 0,
        limits.tpm ?? 0,
        limits.concurrency ?? 0,
        FLEET_SECOND_WINDOW_MS,
        LEASE_MS,
        output ?? '',
        limits.itpm ?? 0,
        limits.otpm ?? 0,
      )) as [number, number];
    } catch (error) {
      // It may have run on the server before the answer was lost: its slot is given back when
      // we can (its charge, at a time not known here, leaves the windows within the minute).
      this.#owed.set(id, { keys });
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
   * The attempt is over: its slot is free. `unsent` (when it was admitted, and its tokens) also
   * takes back the charge of an attempt that never went out. Never throws: what cannot be
   * given back now is given back once Redis answers again.
   */
  async release(lane: string, id: string, unsent?: Unsent): Promise<void> {
    const keys = this.#keys(lane);
    const leased = this.#running.get(keys.leases)?.delete(id) === true;
    // Admitted with no slot to free and sent: nothing to give back.
    if (!leased && unsent === undefined) return;
    await this.#cancel(id, keys, unsent).catch(() => this.#owed.set(id, { keys, unsent }));
  }

  /** The attempt admitted at `at` (server time) used `to` tokens, not the `from` charged. */
  async correct(lane: string, at: number, from: TokenCharge, to: TokenCharge): Promise<void> {
    await this.#redis.eval(
      CORRECT,
      1,
      this.#keys(lane).windows,
      at,
      to.tokens - from.tokens,
      to.output === undefined ? '' : to.output - (from.output ?? 0),
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

  #keys(lane: string): LaneKeys {
    return {
      windows: `${this.prefix}:${lane}:windows`,
      leases: `${this.prefix}:${lane}:leases`,
      pause: `${this.prefix}:${lane}:pause`,
    };
  }

  #cancel(id: string, keys: LaneKeys, unsent: Unsent | undefined): Promise<unknown> {
    return this.#redis.eval(
      CANCEL,
      2,
      keys.windows,
      keys.leases,
      id,
      unsent?.at ?? '',
      unsent?.tokens ?? 0,
      unsent?.output ?? '',
    );
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
        `Redis at ${this.url} cannot be reached${why}: until it can, this replica learns its part of the ceilings from the provider's headers`,
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

  /** Gives back the slots and charges owed since Redis stopped answering. */
  async #settle(): Promise<void> {
    for (const [id, owed] of [...this.#owed]) {
      try {
        await this.#cancel(id, owed.keys, owed.unsent);
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
