import { satisfies } from 'semver';
import { anthropicSpec } from '../clients/anthropic.js';
import { patchChatModelClass } from '../clients/langchain-class.js';
import { openaiSpec } from '../clients/openai.js';
import { patchClientClass } from '../clients/patch-client.js';
import { patchStateGraphClass } from '../graph/langgraph-class.js';
import type { Telemetry } from '../internal/telemetry.js';

/** A class exported by a module, as CommonJS exports or an ESM namespace (from import-in-the-middle). */
function exported(moduleExports: any, name: string): any {
  return moduleExports?.[name] ?? moduleExports?.default?.[name] ?? undefined;
}

export interface ModuleHook {
  module: string;
  /** The versions whose private members match Headroom's accessors (`clients/internals`). */
  versions: string[];
  /** Patches the loaded module; returns how to undo it. */
  patch(moduleExports: any, telemetry: Telemetry): () => void;
}

/**
 * The modules `HeadroomInstrumentation` patches as they load: `openai`, `@anthropic-ai/sdk`,
 * `@langchain/openai`, `@langchain/anthropic` and `@langchain/langgraph`. Classes are patched, so
 * every client the app creates is instrumented.
 */
export const HOOKS: ModuleHook[] = [
  {
    module: 'openai',
    versions: ['>=4 <7'],
    patch: (moduleExports, telemetry) =>
      patchClientClass(
        exported(moduleExports, 'OpenAI') ?? moduleExports?.default,
        openaiSpec,
        telemetry,
      ),
  },
  {
    module: '@anthropic-ai/sdk',
    versions: ['>=0.50 <2'],
    patch: (moduleExports, telemetry) =>
      patchClientClass(
        exported(moduleExports, 'Anthropic') ?? moduleExports?.default,
        anthropicSpec,
        telemetry,
      ),
  },
  {
    module: '@langchain/langgraph',
    versions: ['>=0.3 <2'],
    patch: (moduleExports, telemetry) =>
      patchStateGraphClass(exported(moduleExports, 'StateGraph'), telemetry),
  },
  {
    module: '@langchain/openai',
    versions: ['>=0.5 <2'],
    patch: (moduleExports, telemetry) => {
      const undo = ['ChatOpenAI', 'AzureChatOpenAI'].map((name) =>
        patchChatModelClass(exported(moduleExports, name), telemetry),
      );
      return () => {
        for (const step of undo) step();
      };
    },
  },
  {
    module: '@langchain/anthropic',
    versions: ['>=0.3 <2'],
    patch: (moduleExports, telemetry) =>
      patchChatModelClass(exported(moduleExports, 'ChatAnthropic'), telemetry),
  },
];

/** Whether `version` of the hook's module is one Headroom patches. */
export function isSupported(hook: ModuleHook, version: string | undefined): boolean {
  return version !== undefined && hook.versions.some((range) => satisfies(version, range));
}
