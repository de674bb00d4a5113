import type { CallState } from '../../internal/call-state.js';
import {
  type Holder,
  isHolder,
  isWrapped,
  readMethod,
  readNumber,
  replaceMethod,
  reportMissing,
} from './member.js';

/**
 * The private members of the clients Stainless generates, `openai` (4, 5, 6) and
 * `@anthropic-ai/sdk` (0.x, 1.x), that Headroom reaches, each read here and nowhere else:
 *
 * - `fetchWithTimeout(url, init, ms, controller, …)`: called once per HTTP attempt, the
 *   client's own retries included. Without it no attempt can be seen, so the client is left
 *   as it is (its own retries included) and this is said once.
 * - `_client` on a resource (`chat.completions`): the client a prototype-patched method belongs to.
 * - `prepareRequest(init, { options })`: where `openai` 4, whose attempts do not carry the
 *   request's `fetchOptions`, gets the logical call put on each attempt's `init`.
 * - `maxRetries`: the client's own retries, which the guard takes over.
 */

/**
 * Carries the logical call to its HTTP attempts inside the request's `fetchOptions`, which the
 * clients spread into the `init` of every attempt (`openai` 4 through `prepareRequest`).
 * Entering a context instead would switch on AsyncLocalStorage's promise hooks: 10–25 µs per
 * call on Node 20.
 */
const CALL = Symbol('headroom.call');

/** The `init` of one HTTP attempt, as the client passes it to `fetchWithTimeout`. */
export interface AttemptInit {
  method?: string;
  body?: unknown;
  signal?: AbortSignal | null;
  [CALL]?: CallState;
}

export type FetchWithTimeout = (
  this: unknown,
  url: unknown,
  init: AttemptInit | undefined,
  ms: unknown,
  controller?: AbortController,
  ...rest: unknown[]
) => Promise<Response>;

type PrepareRequest = (this: unknown, init: AttemptInit, context: unknown) => unknown;

/** Request options (`create(body, options)`) that carry `call` to each of its attempts. */
export function withCall(options: unknown, call: CallState, ownRetries: boolean): Holder {
  const base: Holder = isHolder(options) ? options : {};
  const fetchOptions: Holder = isHolder(base.fetchOptions) ? base.fetchOptions : {};
  const request: Holder = { ...base, fetchOptions: { ...fetchOptions, [CALL]: call } };
  // The guard is the one retry layer: the client's own retries are folded into it.
  if (!ownRetries) request.maxRetries = 0;
  return request;
}

/** The logical call an attempt belongs to. */
export function callOf(init: AttemptInit | undefined): CallState | undefined {
  return init?.[CALL];
}

/** The `fetchWithTimeout` of a client or client prototype; undefined, said once, when absent. */
export function attemptMethod(owner: unknown, library: string): FetchWithTimeout | undefined {
  return readMethod<FetchWithTimeout>(
    owner,
    'fetchWithTimeout',
    library,
    'its calls go on uninstrumented and unguarded, with its own retries',
  );
}

/** Whether the attempt method of `owner` is Headroom's already (read without a warning). */
export function isAttemptMethodWrapped(owner: unknown): boolean {
  return isWrapped(readMethod(owner, 'fetchWithTimeout'));
}

/**
 * Wraps the attempt method of `owner` (a client, or a client class's prototype), and bridges
 * the call from request options to each attempt's `init` where the client needs it (`openai`
 * 4). Returns how to undo both, or undefined (said once) when there is no attempt method.
 */
export function replaceAttemptMethod(
  owner: unknown,
  library: string,
  wrap: (original: FetchWithTimeout) => FetchWithTimeout,
): (() => void) | undefined {
  if (attemptMethod(owner, library) === undefined) return undefined;
  const undoFetch = replaceMethod<FetchWithTimeout>(owner, 'fetchWithTimeout', wrap);
  // Optional: where `fetchOptions` reach the attempts (openai 5+, Anthropic) the bridge only
  // finds the call already there.
  const undoPrepare = replaceMethod<PrepareRequest>(owner, 'prepareRequest', bridgeCall);
  return () => {
    undoPrepare?.();
    undoFetch?.();
  };
}

function bridgeCall(original: PrepareRequest): PrepareRequest {
  return function prepareRequest(this: unknown, init, context) {
    if (isHolder(init) && isHolder(context) && isHolder(context.options)) {
      const fetchOptions = context.options.fetchOptions;
      const call = isHolder(fetchOptions) ? fetchOptions[CALL] : undefined;
      if (call !== undefined && init[CALL] === undefined) init[CALL] = call as CallState;
    }
    return original.call(this, init, context);
  };
}

/** The client a resource (`client.chat.completions`) belongs to; undefined, said once, when absent. */
export function resourceClient(resource: unknown, library: string): Holder | undefined {
  const client = isHolder(resource) ? resource._client : undefined;
  if (isHolder(client)) return client;
  reportMissing(library, '_client', 'its calls go on uninstrumented');
  return undefined;
}

/** The client's own `maxRetries` (2 unless set). */
export function clientMaxRetries(client: unknown): number | undefined {
  return readNumber(client, 'maxRetries');
}
