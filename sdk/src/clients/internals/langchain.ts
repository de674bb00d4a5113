import { type Holder, isHolder, readMethod, readNumber, replaceMethod } from './member.js';

/**
 * The private members of LangChain.js chat models (`@langchain/core` `BaseChatModel`,
 * `@langchain/openai`, `@langchain/anthropic`) that Headroom reaches, each read here and
 * nowhere else:
 *
 * - `_generate` and `_streamResponseChunks`: one logical call each, LangChain's retries inside.
 * - `caller.maxRetries` on the model and on ChatOpenAI's `completions` / `responses`
 *   delegates: LangChain's own retries (its AsyncCaller's), which the guard takes over.
 * - `_getClientOptions` on the model and its delegates (ChatOpenAI creates its `openai`
 *   clients there, on first use), `createClient` (ChatAnthropic's), and the clients once made:
 *   `client`, `streamingClient`, `batchClient`.
 */

const LIBRARY = '@langchain/core';

export type ModelMethod = (this: unknown, ...args: unknown[]) => unknown;

/** A LangChain.js chat model (`BaseChatModel`): it has `_generate` and `_llmType`. */
export function isChatModel(model: unknown): boolean {
  return (
    readMethod(model, '_generate') !== undefined && readMethod(model, '_llmType') !== undefined
  );
}

/**
 * Replaces, on a chat model class's prototype, the methods that make one logical call each:
 * `_generate` (said once when absent) and `_streamResponseChunks` (where the model streams).
 * Returns how to undo each replacement made.
 */
export function replaceCallMethods(
  prototype: unknown,
  wrap: (name: string, original: ModelMethod) => ModelMethod,
): Array<() => void> {
  const undo: Array<() => void> = [];
  for (const [name, library] of [
    ['_generate', LIBRARY],
    ['_streamResponseChunks', undefined],
  ] as const) {
    const step = replaceMethod<ModelMethod>(
      prototype,
      name,
      (original) => wrap(name, original),
      library,
    );
    if (step !== undefined) undo.push(step);
  }
  return undo;
}

/** The model's `_llmType()`, such as `openai` or `anthropic`; `unknown` when it cannot say. */
export function llmType(model: unknown): string {
  const method = readMethod<() => unknown>(model, '_llmType');
  try {
    const type = method?.call(model);
    return typeof type === 'string' ? type : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Replaces `_generate`; undefined, said once, when the model has none. */
export function replaceGenerate(
  model: unknown,
  wrap: (original: ModelMethod) => ModelMethod,
): (() => void) | undefined {
  return replaceMethod<ModelMethod>(model, '_generate', wrap, LIBRARY);
}

/** Replaces `_streamResponseChunks` where the model streams (optional: not every model does). */
export function replaceStreamChunks(
  model: unknown,
  wrap: (original: ModelMethod) => ModelMethod,
): (() => void) | undefined {
  return replaceMethod<ModelMethod>(model, '_streamResponseChunks', wrap);
}

/** The model and ChatOpenAI's `completions` / `responses` delegates, those that are there. */
function holders(model: unknown): Holder[] {
  if (!isHolder(model)) return [];
  return [model, model.completions, model.responses].filter(isHolder);
}

/** A LangChain `AsyncCaller`'s retries, to read and set. */
export interface RetryCaller {
  readonly maxRetries: number;
  setMaxRetries(retries: number): void;
}

/** The AsyncCallers of the model and its delegates whose `maxRetries` is a number. */
export function retryCallers(model: unknown): RetryCaller[] {
  const callers: RetryCaller[] = [];
  for (const holder of holders(model)) {
    const caller = holder.caller;
    const retries = readNumber(caller, 'maxRetries');
    if (retries === undefined || !isHolder(caller)) continue;
    callers.push({
      maxRetries: retries,
      setMaxRetries(value) {
        caller.maxRetries = value;
      },
    });
  }
  return callers;
}

const CLIENT_FIELDS = ['client', 'streamingClient', 'batchClient'] as const;

/**
 * Calls `found` with every underlying client of the model, now and whenever the model makes
 * one (ChatOpenAI in `_getClientOptions`, ChatAnthropic through `createClient`). `isWrapped`
 * tells a method already watched.
 */
export function watchUnderlyingClients(
  model: unknown,
  found: (client: unknown) => void,
  isWrapped: (fn: unknown) => boolean,
  mark: <F extends Function>(wrapper: F, original: Function) => F,
): void {
  for (const holder of holders(model)) {
    for (const field of CLIENT_FIELDS) if (holder[field] !== undefined) found(holder[field]);
    if (!isWrapped(holder._getClientOptions)) {
      replaceMethod<ModelMethod>(holder, '_getClientOptions', (original) =>
        mark(function _getClientOptions(this: unknown, ...args: unknown[]) {
          const result = original.apply(this, args);
          if (isHolder(this)) found(this.client);
          return result;
        }, original),
      );
    }
    if (!isWrapped(holder.createClient)) {
      replaceMethod<ModelMethod>(holder, 'createClient', (original) =>
        mark(function createClient(this: unknown, ...args: unknown[]) {
          const client = original.apply(this, args);
          found(client);
          return client;
        }, original),
      );
    }
  }
}
