import type { CallState } from '../internal/call-state.js';
import { reportFault } from '../internal/fault.js';
import { keyFingerprint } from '../internal/key-fingerprint.js';
import { currentScope } from '../internal/scope.js';
import { settle, type Telemetry } from '../internal/telemetry.js';
import type { TrackCallOptions, TrackedCall } from '../types.js';

export function trackCall<T>(
  telemetry: Telemetry,
  options: TrackCallOptions,
  fn: (call: TrackedCall) => T,
): T {
  if (!telemetry.enabled) return fn(inert);
  const scope = currentScope();
  let call: CallState;
  try {
    const key = options.key ?? keyFingerprint(options.apiKey);
    call = telemetry.startCall(
      {
        provider: options.provider,
        operation: options.operation ?? 'chat',
        model: options.model,
        key,
        tenant: options.tenant,
        serverAddress: options.serverAddress,
      },
      scope,
    );
  } catch (error) {
    reportFault('start call', error);
    return fn(inert);
  }
  const tracked = trackedCall(call);
  return telemetry.runInCall(call, scope, () =>
    settle(
      () => fn(tracked),
      (error) => (error === undefined ? call.end() : call.fail(error)),
    ),
  );
}

function trackedCall(call: CallState): TrackedCall {
  return {
    usage({ inputTokens, outputTokens }) {
      call.addUsage(inputTokens, outputTokens);
    },
    responseModel(model) {
      call.result.responseModel = model;
    },
    async attempt(fn, options) {
      const attempt = call.startAttempt(options?.method ?? 'POST');
      try {
        const response = await fn();
        attempt.respond(response.status, response.headers);
        return response;
      } catch (error) {
        attempt.fail(error);
        throw error;
      }
    },
  };
}

const inert: TrackedCall = {
  usage() {},
  responseModel() {},
  attempt: (fn) => fn(),
};
