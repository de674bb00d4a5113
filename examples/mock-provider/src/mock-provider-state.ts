import { KeyLimiter } from './key-limiter.js';
import type { Account, ResolvedOptions } from './options.js';
import { createRandom } from './random.js';
import { ScriptQueue } from './script-queue.js';
import { StatsRecorder } from './stats-recorder.js';

/**
 * Everything a reset clears. Requests in flight keep references to the objects they started
 * with, so when they finish after a reset they cannot disturb the fresh counters.
 */
export class MockProviderState {
  readonly options: ResolvedOptions;
  #limiters = new Map<string, KeyLimiter>();
  /** One limiter per organization, shared by its keys: the budget is charged on their sum. */
  #organizationLimiters = new Map<string, KeyLimiter>();
  #deploymentLimiters = new Map<string, KeyLimiter>();
  #stats: StatsRecorder;
  #script = new ScriptQueue();
  #random: () => number;
  #sequence = 0;

  constructor(options: ResolvedOptions) {
    this.#stats = new StatsRecorder(() => options.now());
    this.options = options;
    this.#random = createRandom(options.seed);
  }

  get stats(): StatsRecorder {
    return this.#stats;
  }

  get script(): ScriptQueue {
    return this.#script;
  }

  now(): number {
    return this.options.now();
  }

  /** The organization (and project) a key is charged to, or undefined for a key on its own. */
  /** Whether this key's answers carry rate-limit and retry headers. */
  sendsHeaders(key: string): boolean {
    return !this.options.silent.has(key);
  }

  account(key: string): Account | undefined {
    return this.options.accounts.get(key);
  }

  limiter(key: string): KeyLimiter {
    const organization = this.account(key)?.organization;
    if (organization !== undefined) return this.#organizationLimiter(organization);
    let limiter = this.#limiters.get(key);
    if (limiter === undefined) {
      limiter = new KeyLimiter(this.options.keys.get(key) ?? this.options.defaultLimits);
      this.#limiters.set(key, limiter);
    }
    return limiter;
  }

  /** The limiter of an Azure deployment, shared by every key that calls it; undefined if none. */
  deploymentLimiter(deployment: string): KeyLimiter | undefined {
    const limits = this.options.deployments.get(deployment);
    if (limits === undefined) return undefined;
    let limiter = this.#deploymentLimiters.get(deployment);
    if (limiter === undefined) {
      limiter = new KeyLimiter(limits);
      this.#deploymentLimiters.set(deployment, limiter);
    }
    return limiter;
  }

  #organizationLimiter(organization: string): KeyLimiter {
    let limiter = this.#organizationLimiters.get(organization);
    if (limiter === undefined) {
      limiter = new KeyLimiter(this.options.organizations.get(organization) ?? {});
      this.#organizationLimiters.set(organization, limiter);
    }
    return limiter;
  }

  /** Numbers request ids and response ids; restarts at 1 on reset so runs compare equal. */
  nextSequence(): number {
    this.#sequence += 1;
    return this.#sequence;
  }

  /** Configured latency of the next admitted request: fixed plus uniform integer jitter. */
  latencyMs(): number {
    const { fixedMs, jitterMs } = this.options.latency;
    return fixedMs + Math.floor(this.#random() * jitterMs);
  }

  reset(): void {
    this.#limiters = new Map();
    this.#organizationLimiters = new Map();
    this.#deploymentLimiters = new Map();
    this.#stats = new StatsRecorder(() => this.options.now());
    this.#script = new ScriptQueue();
    this.#random = createRandom(this.options.seed);
    this.#sequence = 0;
  }
}
