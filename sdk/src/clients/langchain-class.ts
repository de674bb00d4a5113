import { reportFault } from '../internal/fault.js';
import type { Telemetry } from '../internal/telemetry.js';
import { replaceCallMethods } from './internals/langchain.js';
import { isHolder } from './internals/member.js';
import { instrumentChatModel } from './langchain.js';

const patchedPrototypes = new WeakSet<object>();

/**
 * Patches a LangChain chat model class (`ChatOpenAI`, `ChatAnthropic`, …) so that each instance
 * is instrumented, by `instrumentChatModel`, on its first call. The instance then has its own
 * wrapped methods, which call back into these; an instrumented instance goes straight through.
 */
export function patchChatModelClass(ChatModel: unknown, telemetry: Telemetry): () => void {
  const prototype = isHolder(ChatModel) ? ChatModel.prototype : undefined;
  if (!isHolder(prototype) || patchedPrototypes.has(prototype)) return () => {};
  patchedPrototypes.add(prototype);
  const instrumented = new WeakSet<object>();
  const undo = replaceCallMethods(
    prototype,
    (name, original) =>
      function (this: unknown, ...args: unknown[]) {
        if (isHolder(this) && !instrumented.has(this)) {
          instrumented.add(this);
          try {
            instrumentChatModel(this, telemetry, {});
          } catch (error) {
            reportFault('instrument chat model', error);
          }
          const own = Object.hasOwn(this, name) ? this[name] : undefined;
          if (typeof own === 'function') return own.apply(this, args);
        }
        return original.apply(this, args);
      },
  );
  return () => {
    for (const step of undo.reverse()) step();
    patchedPrototypes.delete(prototype);
  };
}
