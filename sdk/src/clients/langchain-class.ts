import { reportFault } from '../internal/fault.js';
import type { Telemetry } from '../internal/telemetry.js';
import { instrumentChatModel } from './langchain.js';

const METHODS = ['_generate', '_streamResponseChunks'] as const;
const patchedPrototypes = new WeakSet<object>();

/**
 * Patches a LangChain chat model class (`ChatOpenAI`, `ChatAnthropic`, …) so that each instance
 * is instrumented, by `instrumentChatModel`, on its first call. The instance then has its own
 * wrapped methods, which call back into these; an instrumented instance goes straight through.
 */
export function patchChatModelClass(ChatModel: any, telemetry: Telemetry): () => void {
  const prototype = ChatModel?.prototype;
  if (!prototype || patchedPrototypes.has(prototype)) return () => {};
  patchedPrototypes.add(prototype);
  const instrumented = new WeakSet<object>();
  const originals = new Map<string, Function>();
  for (const name of METHODS) {
    const original = prototype[name];
    if (typeof original !== 'function') continue;
    originals.set(name, original);
    prototype[name] = function (this: any, ...args: unknown[]) {
      if (!instrumented.has(this)) {
        instrumented.add(this);
        try {
          instrumentChatModel(this, telemetry, {});
        } catch (error) {
          reportFault('instrument chat model', error);
        }
        if (Object.hasOwn(this, name)) return this[name](...args);
      }
      return original.apply(this, args);
    };
  }
  return () => {
    for (const [name, original] of originals) prototype[name] = original;
    patchedPrototypes.delete(prototype);
  };
}
