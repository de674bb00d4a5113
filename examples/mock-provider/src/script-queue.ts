import { assertNonNegativeNumber, assertPlainObject, describeValue } from './assert-option.js';

/**
 * Small enough that test clients retry at once, and never 0: the openai client ignores a
 * `retry-after-ms` of 0 and falls back to its own backoff of half a second or more.
 */
export const DEFAULT_SCRIPTED_RETRY_AFTER_MS = 20;

export interface ScriptedOutcome {
  /** 200, or an error status 400–599 (429 rate limit, 529 overloaded, 500, ...). */
  status: number;
  /** Error statuses: the `retry-after-ms` sent (default 20). `null` omits it, except on 429. */
  retryAfterMs?: number | null;
  /** Delay before responding. 200: replaces the configured latency. Errors: default 0. */
  latencyMs?: number;
  /** 429 only: the budget the body blames, `requests` (default) or `tokens`. */
  limit?: 'requests' | 'tokens';
  /** Replaces the error message of the body. */
  message?: string;
  /**
   * 429 only, OpenAI's body: its `code` and `type` (default `rate_limit_exceeded` and the
   * budget), e.g. `insufficient_quota` for an account whose credit is spent.
   */
  code?: string;
}

/** A bare number is shorthand for `{ status }`. */
export type ScriptedOutcomeInput = number | ScriptedOutcome;

export interface ResolvedOutcome {
  status: number;
  retryAfterMs: number | undefined;
  latencyMs: number | undefined;
  limit: 'requests' | 'tokens';
  message: string | undefined;
  code: string | undefined;
}

const FIELDS = ['status', 'retryAfterMs', 'latencyMs', 'limit', 'message', 'code'];

export function resolveOutcome(name: string, input: unknown): ResolvedOutcome {
  const outcome = typeof input === 'number' ? { status: input } : assertPlainObject(name, input);
  const unknown = Object.keys(outcome).find((field) => !FIELDS.includes(field));
  if (unknown !== undefined) {
    throw new TypeError(`Unknown option \`${name}.${unknown}\`; expected ${FIELDS.join(', ')}`);
  }
  const { status, retryAfterMs, latencyMs, limit = 'requests', message, code } = outcome;
  if (
    !Number.isInteger(status) ||
    (status !== 200 && !((status as number) >= 400 && (status as number) <= 599))
  ) {
    throw new TypeError(
      `Expected \`${name}.status\` to be 200 or 400–599, got ${describeValue(status)}`,
    );
  }
  const omitRetry = retryAfterMs === null && status !== 429;
  if (
    !omitRetry &&
    retryAfterMs !== undefined &&
    (typeof retryAfterMs !== 'number' || !(retryAfterMs >= 1))
  ) {
    throw new TypeError(
      `Expected \`${name}.retryAfterMs\` to be at least 1, got ${describeValue(retryAfterMs)}`,
    );
  }
  if (limit !== 'requests' && limit !== 'tokens') {
    throw new TypeError(
      `Expected \`${name}.limit\` to be "requests" or "tokens", got ${describeValue(limit)}`,
    );
  }
  if (message !== undefined && typeof message !== 'string') {
    throw new TypeError(
      `Expected \`${name}.message\` to be a string, got ${describeValue(message)}`,
    );
  }
  if (code !== undefined && (typeof code !== 'string' || !/^[a-z_]{1,64}$/.test(code))) {
    throw new TypeError(
      `Expected \`${name}.code\` to be lower-case letters and _, got ${describeValue(code)}`,
    );
  }
  return {
    status: status as number,
    retryAfterMs: omitRetry
      ? undefined
      : ((retryAfterMs as number | undefined) ?? DEFAULT_SCRIPTED_RETRY_AFTER_MS),
    latencyMs:
      latencyMs === undefined ? undefined : assertNonNegativeNumber(`${name}.latencyMs`, latencyMs),
    limit,
    message,
    code: code as string | undefined,
  };
}

/** Outcomes consumed one per request: the key's own queue first, then the global one. */
export class ScriptQueue {
  readonly #global: ResolvedOutcome[] = [];
  readonly #byKey = new Map<string, ResolvedOutcome[]>();

  /** Appends; validates every outcome first so a bad script queues nothing. */
  push(outcomes: readonly unknown[], key?: string): number {
    if (!Array.isArray(outcomes)) {
      throw new TypeError(`Expected \`outcomes\` to be an array, got ${describeValue(outcomes)}`);
    }
    const resolved = outcomes.map((outcome, index) =>
      resolveOutcome(`outcomes[${index}]`, outcome),
    );
    const queue = key === undefined ? this.#global : this.#queueOf(key);
    queue.push(...resolved);
    return resolved.length;
  }

  take(key: string): ResolvedOutcome | undefined {
    return this.#byKey.get(key)?.shift() ?? this.#global.shift();
  }

  #queueOf(key: string): ResolvedOutcome[] {
    let queue = this.#byKey.get(key);
    if (queue === undefined) {
      queue = [];
      this.#byKey.set(key, queue);
    }
    return queue;
  }
}
