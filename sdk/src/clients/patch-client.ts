import { attachGuard, estimateFromBody } from '../guard/attach.js';
import { guardedFetch } from '../guard/guarded-fetch.js';
import type { CallState } from '../internal/call-state.js';
import { reportFault } from '../internal/fault.js';
import { currentScope } from '../internal/scope.js';
import type { Telemetry } from '../internal/telemetry.js';
import * as semconv from '../semconv.js';
import { clientInfo } from './client-info.js';
import { type Holder, isWrapped, mark } from './internals/member.js';
import {
  type AttemptInit,
  callOf,
  clientMaxRetries,
  type FetchWithTimeout,
  isAttemptMethodWrapped,
  replaceAttemptMethod,
  resourceClient,
  withCall,
} from './internals/stainless.js';
import { applyResult, observeStream } from './observe-stream.js';
import type { MethodSpec, ProviderSpec } from './provider-spec.js';

export { isWrapped, mark, WRAPPED } from './internals/member.js';

/**
 * The logical-call wrapper of a model method. Outside any call it starts one: CLIENT span,
 * in-flight count, and a scope in which the client's HTTP attempts find it. Inside another call
 * (LangChain's `ChatOpenAI` calling its own `openai` client on each of its retries) it only
 * reports usage to that outer call. The original promise object (`APIPromise`) is returned.
 */
export function wrapCreate(
  original: Function,
  spec: ProviderSpec,
  method: MethodSpec,
  telemetry: Telemetry,
  clientOf: (resource: unknown) => Holder | undefined,
): Function {
  return mark(function create(this: unknown, ...args: any[]) {
    const body = args[0];
    if (!telemetry.enabled) return original.apply(this, args);
    const scope = currentScope();
    const outer = scope?.call !== undefined && !scope.call.ended ? scope.call : undefined;
    let call: CallState | undefined;
    if (outer === undefined) {
      const client = clientOf(this);
      if (client === undefined) return original.apply(this, args);
      try {
        const info = clientInfo(client, spec);
        call = telemetry.startCall(
          {
            provider: info.provider,
            operation: method.operation,
            model: String(body?.model ?? 'unknown'),
            key: info.key,
            tenant: info.tenant,
            serverAddress: info.serverAddress,
            source: info,
          },
          scope,
        );
        call.invoke();
        call.noteRequest(body);
        if (info.guard !== undefined) {
          attachGuard(
            call,
            info.guard,
            telemetry,
            {
              key: info.key,
              provider: info.provider,
              model: info.deployment ?? String(body?.model ?? 'unknown'),
            },
            args[1]?.maxRetries ?? clientMaxRetries(client) ?? 2,
            body,
          );
        }
      } catch (error) {
        reportFault('start call', error);
        call?.abandon();
        return original.apply(this, args);
      }
      if (telemetry.captureContent) {
        try {
          call.span.setAttribute(
            semconv.ATTR_GEN_AI_INPUT_MESSAGES,
            JSON.stringify(method.inputMessages(body) ?? null),
          );
        } catch (error) {
          reportFault('capture input messages', error);
        }
      }
    }
    // Inside another call, this request is one more of the outer call's (LangChain retrying).
    outer?.invoke();
    const owner = (call ?? outer)!;
    args[1] = withCall(args[1], owner, owner.guard === undefined);
    let promise: any;
    try {
      promise = original.apply(this, args);
    } catch (error) {
      call?.fail(error);
      throw error;
    }
    try {
      observeResult(promise, owner, method, call !== undefined, body?.stream === true);
    } catch (error) {
      reportFault('observe call', error);
    }
    return promise;
  }, original);
}

function observeResult(
  promise: any,
  call: CallState,
  method: MethodSpec,
  owned: boolean,
  streamed: boolean,
): void {
  if (typeof promise?.then !== 'function') {
    if (owned) call.end();
    return;
  }
  const onResult = (result: any) => {
    try {
      if (streamed && typeof result?.iterator === 'function') {
        observeStream(result, method.parseEvent, (streamResult, error) => {
          applyResult(call, streamResult);
          if (!owned) return;
          if (error === undefined) call.end();
          else call.fail(error);
        });
        return;
      }
      applyResult(call, method.parse(result));
      if (owned) call.end();
    } catch (error) {
      reportFault('read response', error);
      if (owned) call.end();
    }
  };
  const onError = (error: unknown) => {
    if (owned) call.fail(error);
  };
  // A stream is parsed at once: making the `Stream` reads nothing of the body.
  if (!streamed && isLazyApiPromise(promise)) observeParse(promise, call, onResult, onError);
  else promise.then(onResult, onError);
}

/** A Stainless `APIPromise`: the body is read only when someone parses it. */
function isLazyApiPromise(promise: any): boolean {
  return typeof promise.parse === 'function' && typeof promise.responsePromise?.then === 'function';
}

/**
 * Calling an `APIPromise`'s `then` reads the body, and an app that asked for it raw
 * (`asResponse()`) then finds it already read. So the parse the app starts itself is watched; a
 * response that nobody has begun to parse when it arrives (`asResponse()`, or a promise awaited
 * later) has its usage read from a clone, before anyone else can read the body.
 */
function observeParse(
  promise: any,
  call: CallState,
  onResult: (result: any) => void,
  onError: (error: unknown) => void,
): void {
  let observed = false;
  const parse = promise.parse;
  promise.parse = function parseWatched(this: unknown, ...args: unknown[]) {
    const parsed = parse.apply(this, args);
    if (!observed) {
      observed = true;
      parsed.then(onResult, onError);
    }
    return parsed;
  };
  // An app that awaits the call has begun parsing long before the provider answers. Only when
  // the first answer comes and nobody has, is the response itself watched: one promise fewer
  // on the common path.
  call.onAnswer = () => {
    if (observed) return;
    promise.responsePromise.then(
      (props: any) => {
        if (observed) return;
        observed = true;
        const response = props?.response;
        if (typeof response?.clone !== 'function') {
          onResult(undefined);
          return;
        }
        response
          .clone()
          .json()
          .then(onResult, () => onResult(undefined));
      },
      (error: unknown) => {
        if (observed) return;
        observed = true;
        onError(error);
      },
    );
  };
}

/**
 * The HTTP-attempt wrapper of a client's `fetchWithTimeout`, which both Stainless-built clients
 * call once per attempt, their own retries included.
 */
export function wrapFetchWithTimeout(
  original: FetchWithTimeout,
  telemetry: Telemetry,
): FetchWithTimeout {
  // Not an async function: it returns the client's own promise and adds one `.then`, because
  // every extra promise pays the async-context hook on the request path.
  return mark(function fetchWithTimeout(this: unknown, ...args: Parameters<FetchWithTimeout>) {
    const init = args[1];
    const call = callOf(init) ?? currentScope()?.call;
    if (call === undefined || call.ended || !telemetry.enabled) return original.apply(this, args);
    if (call.guard !== undefined) {
      estimateFromBody(call, init?.body);
      let first = true;
      return guardedFetch(
        () => {
          // The client's controller is spent once its timeout fired: each retry gets a fresh
          // one, which the client links to the caller's signal and times out anew.
          const attemptArgs: Parameters<FetchWithTimeout> = first
            ? args
            : [args[0], init, args[2], new AbortController(), ...args.slice(4)];
          first = false;
          const controller = attemptArgs[3];
          return {
            response: attemptOnce(this, original, attemptArgs, call),
            signal: controller?.signal,
          };
        },
        call.guard,
        telemetry.guard.clock,
        init?.signal,
        isResendable(init?.body),
      );
    }
    return attemptOnce(this, original, args, call);
  }, original);
}

/** A body that can be sent again: none, text or bytes; not a stream. */
function isResendable(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    ArrayBuffer.isView(body) ||
    body instanceof ArrayBuffer ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof FormData
  );
}

/** One HTTP attempt of `call`: its span and count around the client's own fetch. */
function attemptOnce(
  self: unknown,
  original: FetchWithTimeout,
  args: Parameters<FetchWithTimeout>,
  call: CallState,
): Promise<Response> {
  const init: AttemptInit | undefined = args[1];
  let attempt: ReturnType<CallState['startAttempt']>;
  try {
    attempt = call.startAttempt(
      typeof init?.method === 'string' ? init.method.toUpperCase() : 'GET',
    );
  } catch (error) {
    reportFault('start attempt', error);
    return original.apply(self, args);
  }
  let promise: Promise<Response>;
  try {
    promise = original.apply(self, args);
  } catch (error) {
    attempt.fail(error);
    throw error;
  }
  promise.then(
    (response) => {
      try {
        attempt.respond(response.status, response.headers);
      } catch (error) {
        reportFault('end attempt', error);
      }
      call.answered();
    },
    (error: unknown) => {
      attempt.fail(error);
      call.answered();
    },
  );
  return promise;
}

/**
 * Instruments one client object: its own attempt method and its model methods. Returns false,
 * leaving the client as it is (its own retries included), when it has no attempt method to
 * wrap: its calls could be neither counted per attempt nor guarded.
 */
export function instrumentClientInstance(
  client: Holder,
  spec: ProviderSpec,
  telemetry: Telemetry,
): boolean {
  if (!isAttemptMethodWrapped(client)) {
    const undo = replaceAttemptMethod(client, spec.library, (original) =>
      wrapFetchWithTimeout(original, telemetry),
    );
    if (undo === undefined) return false;
  }
  const clientOf = () => client;
  for (const method of spec.methods) {
    const resource = method.path.reduce<any>((object, name) => object?.[name], client);
    if (resource && typeof resource.create === 'function' && !isWrapped(resource.create)) {
      resource.create = wrapCreate(resource.create, spec, method, telemetry, clientOf);
    }
  }
  return true;
}

/**
 * Instruments a client class for every instance, present and future (the zero-code path).
 * Returns how to undo it. A class without the attempt method is left as it is, said once.
 */
export function patchClientClass(
  ClientClass: any,
  spec: ProviderSpec,
  telemetry: Telemetry,
): () => void {
  const undo: Array<() => void> = [];
  const prototype = ClientClass?.prototype;
  if (!isAttemptMethodWrapped(prototype)) {
    const undoAttempt = replaceAttemptMethod(prototype, spec.library, (original) =>
      wrapFetchWithTimeout(original, telemetry),
    );
    if (undoAttempt === undefined) return () => {};
    undo.push(undoAttempt);
  }
  const clientOf = (resource: unknown) => resourceClient(resource, spec.library);
  for (const method of spec.methods) {
    const Resource = method.classPath.reduce((object, name) => object?.[name], ClientClass);
    const target = Resource?.prototype;
    const original = target?.create;
    if (typeof original !== 'function' || isWrapped(original)) continue;
    target.create = wrapCreate(original, spec, method, telemetry, clientOf);
    undo.push(() => {
      target.create = original;
    });
  }
  return () => {
    for (const step of undo.reverse()) step();
  };
}
