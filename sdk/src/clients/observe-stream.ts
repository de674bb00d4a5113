import type { CallResult, CallState } from '../internal/call-state.js';
import { reportFault } from '../internal/fault.js';

/**
 * Watches a provider stream (`openai` / `@anthropic-ai/sdk` `Stream`) without replacing it: its
 * `iterator` factory, which `for await`, `tee()` and `toReadableStream()` all go through, is
 * wrapped so each event is read on the way past. `done` runs once, when iteration ends, fails,
 * is abandoned by `break`, or the stream is aborted.
 */
export function observeStream(
  stream: any,
  parseEvent: (event: any, into: CallResult) => void,
  done: (result: CallResult, error?: unknown) => void,
): void {
  const original = stream.iterator;
  if (typeof original !== 'function') {
    done({});
    return;
  }
  const result: CallResult = {};
  let finished = false;
  const finish = (error?: unknown) => {
    if (finished) return;
    finished = true;
    done(result, error);
  };
  stream.controller?.signal?.addEventListener?.(
    'abort',
    () => finish(new Error('stream aborted')),
    { once: true },
  );
  stream.iterator = function iterator(this: unknown) {
    return watch(original.call(this), (event) => parseEvent(event, result), finish);
  };
}

async function* watch(
  iterator: AsyncIterator<unknown>,
  onEvent: (event: unknown) => void,
  finish: (error?: unknown) => void,
): AsyncGenerator<unknown> {
  let failure: unknown;
  try {
    for (;;) {
      const step = await iterator.next();
      if (step.done) return;
      try {
        onEvent(step.value);
      } catch (error) {
        reportFault('read stream event', error);
      }
      yield step.value;
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // Settled first: on `break`, passing return() on makes the client abort its own controller to
    // release the body, and that abort must not be taken for a failed stream.
    finish(failure);
    // On `break` the consumer calls return(): pass it on so the HTTP body is released.
    if (failure === undefined) await iterator.return?.();
  }
}

/** Applies what a response said to the call that owns it. */
export function applyResult(call: CallState, result: CallResult): void {
  call.addUsage(result.inputTokens, result.outputTokens);
  if (result.responseModel !== undefined) call.result.responseModel = result.responseModel;
  if (result.responseId !== undefined) call.result.responseId = result.responseId;
  if (result.finishReasons !== undefined) call.result.finishReasons = result.finishReasons;
  if (result.outputMessages !== undefined) call.result.outputMessages = result.outputMessages;
}
