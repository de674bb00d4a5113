/** Why the guard refused a call without sending it. */
export type GuardRejection = 'queue_full' | 'timeout';

/**
 * The guard refused a call: its queue was full, or the call waited past the queue timeout. The
 * message says the key's state, e.g.
 * `Headroom guard: queue full for openai/gpt-4o-mini on key prod: 3 running, 12 waiting, rpm 498/500`.
 */
export class HeadroomGuardError extends Error {
  override readonly name = 'HeadroomGuardError';
  constructor(
    readonly reason: GuardRejection,
    message: string,
  ) {
    super(message);
  }
}
