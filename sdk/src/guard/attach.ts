import type { CallState } from '../internal/call-state.js';
import { currentScope } from '../internal/scope.js';
import type { Telemetry } from '../internal/telemetry.js';
import * as semconv from '../semconv.js';
import { estimateUsage } from './estimate.js';
import { priorityLevel } from './fair-queue.js';
import type { GuardConfig } from './options.js';

/**
 * Puts a guarded call in its lane (key × provider × model), with its retries, and links the
 * lane to the key's series for the `headroom.guard.*` telemetry. `body`, when the request is
 * known here, gives the token estimate; otherwise the first attempt's JSON body does.
 */
export function attachGuard(
  call: CallState,
  guard: GuardConfig,
  telemetry: Telemetry,
  lane: { key: string; provider: string; model: string },
  maxRetries: number,
  body?: unknown,
): void {
  const target = telemetry.guard.lane(lane.key, lane.provider, lane.model, guard.lane, guard.redis);
  const limit = call.series.limit;
  if (limit.guard === undefined) {
    limit.guard = target;
    target.wait ??= telemetry.store.histogram(semconv.METRIC_GUARD_WAIT, limit.attributes);
  }
  const tenant = call.series.attributes[semconv.ATTR_HEADROOM_TENANT];
  call.guard = {
    lane: target,
    tenant: typeof tenant === 'string' ? tenant : '',
    // `withPriority` around the call wins over the client's `guard.priority`.
    level: priorityLevel(currentScope()?.priority ?? guard.priority),
    ...(body === undefined
      ? { tokens: undefined }
      : estimated(body, target.budget.outputEstimate())),
    maxRetries: guard.maxRetries ?? maxRetries,
    provider: lane.provider,
  };
}

/** The estimate of a call whose request was not seen when it started: from its JSON body. */
export function estimateFromBody(call: CallState, body: unknown): void {
  const guard = call.guard;
  if (guard === undefined || guard.tokens !== undefined) return;
  let parsed: unknown;
  try {
    parsed = typeof body === 'string' ? JSON.parse(body) : undefined;
  } catch {
    parsed = undefined;
  }
  Object.assign(guard, estimated(parsed, guard.lane.budget.outputEstimate()));
}

function estimated(body: unknown, outputEstimate: number): { tokens: number; output: number } {
  const { input, output } = estimateUsage(body, outputEstimate);
  return { tokens: input + output, output };
}
