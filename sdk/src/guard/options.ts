import { describe, HeadroomOptionsError } from '../internal/describe.js';
import { PRIORITIES, type Priority } from './fair-queue.js';
import { DEFAULT_MAX_QUEUE, DEFAULT_QUEUE_TIMEOUT_MS, type LaneOptions } from './guard.js';

/**
 * `instrument(client, { guard })`: admission control for the client's calls, per key × provider
 * × model. `true` learns the ceilings from the provider's rate-limit headers.
 */
export interface GuardOptions {
  /** Requests per minute, and rpm/60 in any second. Default: the provider's `limit` header. */
  rpm?: number;
  /** Tokens per minute (prompt + max_tokens, corrected by the usage), and tpm/60 a second. */
  tpm?: number;
  /**
   * Input and output tokens per minute, where the provider limits them apart (Anthropic's ITPM
   * and OTPM), each also /60 a second. Default: the provider's input- and output-token headers.
   */
  inputTpm?: number;
  outputTpm?: number;
  /** HTTP attempts in flight at once. Default: no limit once any ceiling is known. */
  concurrency?: number;
  /** Calls that may wait per key × provider × model (default 10 000); one more is refused. */
  maxQueue?: number;
  /** How long a call may wait for its turn (default 60 000 ms) before it is refused. */
  queueTimeoutMs?: number;
  /**
   * Retries of one call, made by the guard (the client's own are switched off, not stacked).
   * Default: the client's `maxRetries` (openai and Anthropic: 2).
   */
  maxRetries?: number;
  /**
   * The order of this client's calls within a tenant's turn (default `normal`): `interactive`
   * before `normal` before `batch`. `headroom.withPriority` around a call wins over it.
   */
  priority?: Priority;
  /**
   * `redis://host:port`: one budget for the whole fleet, kept in that Redis by atomic scripts.
   * If it goes out of reach, each replica keeps to its share of the ceilings (1/N of the live
   * replicas) and says so once, until it is back. Needs the `ioredis` package.
   */
  redis?: string;
}

/** What a guarded client carries: its lane options, built once, and its retries. */
export interface GuardConfig {
  lane: LaneOptions;
  maxRetries: number | undefined;
  redis: string | undefined;
  priority: Priority | undefined;
}

const POSITIVE = [
  'rpm',
  'tpm',
  'inputTpm',
  'outputTpm',
  'concurrency',
  'maxQueue',
  'queueTimeoutMs',
] as const;

/** Validates `guard` and fills in the defaults; a bad value throws one line naming it. */
export function resolveGuard(guard: unknown): GuardConfig | undefined {
  if (guard === undefined || guard === false) return undefined;
  if (guard === true) return resolveGuard({});
  if (guard === null || typeof guard !== 'object' || Array.isArray(guard)) {
    throw new HeadroomOptionsError(
      `Expected \`guard\` to be true, false or an object, got ${describe(guard)}`,
    );
  }
  const options = guard as Record<string, unknown>;
  const known = [...POSITIVE, 'maxRetries', 'redis', 'priority'];
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw new HeadroomOptionsError(
        `Unknown option \`guard.${name}\`; expected ${known.join(', ')}`,
      );
    }
  }
  const { redis } = options;
  if (
    redis !== undefined &&
    !(typeof redis === 'string' && /^rediss?:$/.test(URL.parse(redis)?.protocol ?? ''))
  ) {
    throw new HeadroomOptionsError(
      `Expected \`guard.redis\` to be a redis:// or rediss:// URL, got ${describe(redis)}`,
    );
  }
  for (const name of POSITIVE) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) > 0)) {
      throw new HeadroomOptionsError(
        `Expected \`guard.${name}\` to be a positive integer, got ${describe(value)}`,
      );
    }
  }
  const { maxRetries } = options;
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && (maxRetries as number) >= 0)) {
    throw new HeadroomOptionsError(
      `Expected \`guard.maxRetries\` to be an integer from 0 up, got ${describe(maxRetries)}`,
    );
  }
  const { priority } = options;
  if (priority !== undefined && !PRIORITIES.includes(priority as Priority)) {
    throw new HeadroomOptionsError(
      `Expected \`guard.priority\` to be one of ${PRIORITIES.join(', ')}, got ${describe(priority)}`,
    );
  }
  const typed = options as GuardOptions;
  return {
    lane: {
      limits: {
        rpm: typed.rpm,
        tpm: typed.tpm,
        itpm: typed.inputTpm,
        otpm: typed.outputTpm,
        concurrency: typed.concurrency,
      },
      maxQueue: typed.maxQueue ?? DEFAULT_MAX_QUEUE,
      queueTimeoutMs: typed.queueTimeoutMs ?? DEFAULT_QUEUE_TIMEOUT_MS,
    },
    maxRetries: typed.maxRetries,
    redis: typed.redis,
    priority: typed.priority,
  };
}
