import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
} from '@opentelemetry/instrumentation';
import { anthropicSpec } from '../clients/anthropic.js';
import { patchChatModelClass } from '../clients/langchain-class.js';
import { openaiSpec } from '../clients/openai.js';
import { patchClientClass } from '../clients/patch-client.js';
import { patchStateGraphClass } from '../graph/langgraph-class.js';
import { reportFault } from '../internal/fault.js';
import type { Telemetry } from '../internal/telemetry.js';
import { VERSION } from '../version.js';

/** A class exported by a module, as CommonJS exports or an ESM namespace (from import-in-the-middle). */
function exported(moduleExports: any, name: string): any {
  return moduleExports?.[name] ?? moduleExports?.default?.[name] ?? undefined;
}

interface ModuleHook {
  module: string;
  versions: string[];
  /** Patches the loaded module; returns how to undo it. */
  patch(moduleExports: any, telemetry: Telemetry): () => void;
}

const HOOKS: ModuleHook[] = [
  {
    module: 'openai',
    versions: ['>=5 <7'],
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

/**
 * Patches `openai`, `@anthropic-ai/sdk`, `@langchain/openai`, `@langchain/anthropic` and
 * `@langchain/langgraph` as they load, through the module hooks of `@opentelemetry/instrumentation`
 * (require-in-the-middle for CommonJS, import-in-the-middle for ESM), as the official
 * instrumentations do. Classes are patched, so every client the app creates is instrumented.
 */
export class HeadroomInstrumentation extends InstrumentationBase {
  #telemetry: Telemetry | undefined;
  readonly #undo = new Map<string, () => void>();

  constructor() {
    super('@headroom/sdk', VERSION, { enabled: false });
  }

  /** Binds the telemetry that patched code records into, then enables the hooks. */
  start(telemetry: Telemetry): void {
    this.#telemetry = telemetry;
    this.enable();
  }

  protected override init() {
    return HOOKS.map(
      (hook) =>
        new InstrumentationNodeModuleDefinition(
          hook.module,
          hook.versions,
          (moduleExports) => {
            const telemetry = this.#telemetry;
            if (telemetry === undefined) return moduleExports;
            try {
              this.#undo.set(hook.module, hook.patch(moduleExports, telemetry));
            } catch (error) {
              reportFault(`patch ${hook.module}`, error);
            }
            return moduleExports;
          },
          () => {
            this.#undo.get(hook.module)?.();
            this.#undo.delete(hook.module);
          },
        ),
    );
  }
}
