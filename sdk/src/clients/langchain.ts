import { attachGuard } from '../guard/attach.js';
import { resolveGuard } from '../guard/options.js';
import type { CallResult, CallState } from '../internal/call-state.js';
import { reportFault } from '../internal/fault.js';
import { keyFingerprint } from '../internal/key-fingerprint.js';
import { environmentKeyNames } from '../internal/key-names.js';
import { currentScope, type Scope } from '../internal/scope.js';
import type { Telemetry } from '../internal/telemetry.js';
import type { InstrumentOptions } from '../types.js';
import { anthropicSpec, isAnthropicClient } from './anthropic.js';
import { isOpenAIClient, openaiSpec } from './openai.js';
import { instrumentClientInstance, isWrapped, mark } from './patch-client.js';

/** A LangChain.js chat model: anything with `_generate` and `_llmType` (`BaseChatModel`). */
export function isLangChainChatModel(model: any): boolean {
  return typeof model?._generate === 'function' && typeof model?._llmType === 'function';
}

/** `_llmType`s of the models that send through an openai or @anthropic-ai/sdk client. */
const GUARDABLE = new Set(['openai', 'azure_openai', 'anthropic']);

const PROVIDERS: Record<string, string> = {
  openai: 'openai',
  azure_openai: 'azure.ai.openai',
  anthropic: 'anthropic',
  google_genai: 'gcp.gemini',
  'google-vertexai': 'gcp.vertex_ai',
  bedrock: 'aws.bedrock',
  mistralai: 'mistral_ai',
  groq: 'groq',
  deepseek: 'deepseek',
  xai: 'x_ai',
};

/**
 * Instruments a LangChain chat model instance: one logical call per `_generate` /
 * `_streamResponseChunks` (so LangChain's own retries, 6 by default, are attempts of that one
 * call), and the model's underlying `openai` / `@anthropic-ai/sdk` clients, created lazily, for
 * the HTTP attempts and usage.
 */
export function instrumentChatModel(
  model: any,
  telemetry: Telemetry,
  options: InstrumentOptions,
  addUndo: (undo: () => void) => void = () => {},
): void {
  // Once an underlying client is instrumented, it reports usage itself; LangChain's own usage
  // figures would count the same tokens twice.
  const seen = { underlying: false };
  const instrumentClient = (client: any) => {
    if (instrumentUnderlying(client, telemetry)) seen.underlying = true;
  };
  const provider = (): string => {
    const type = safeCall(() => model._llmType(), 'unknown');
    return options.provider ?? PROVIDERS[type] ?? type;
  };
  // The guard is the one retry layer: LangChain's own retries (its AsyncCaller's, 6 by
  // default) become the guard's, and the callers stop retrying. ChatOpenAI sends through its
  // `completions` and `responses` delegates, each with a caller of its own.
  let guard = resolveGuard(options.guard);
  // Only models that send through an openai or Anthropic client can be guarded; any other
  // keeps its own retries.
  if (guard !== undefined && !GUARDABLE.has(safeCall(() => model._llmType(), 'unknown'))) {
    reportFault(
      'guard',
      new TypeError(
        'this model’s HTTP client is not an openai or @anthropic-ai/sdk client, so its calls cannot be guarded',
      ),
    );
    guard = undefined;
  }
  let retries = 0;
  if (guard !== undefined) {
    for (const holder of [model, model.completions, model.responses]) {
      const caller = holder?.caller;
      if (typeof caller?.maxRetries !== 'number') continue;
      const own = caller.maxRetries;
      retries = Math.max(retries, own);
      caller.maxRetries = 0;
      // Once Headroom shuts down, nothing guards the model: its own retries come back.
      addUndo(() => {
        caller.maxRetries = own;
      });
    }
  }
  const start = (scope: Scope | undefined): CallState => {
    const lane = {
      provider: provider(),
      model: String(
        model.model ?? model.modelName ?? model.azureOpenAIApiDeploymentName ?? 'unknown',
      ),
      key: options.key ?? environmentKeyNames().name(keyFingerprint(apiKeyOf(model)), undefined),
    };
    const call = telemetry.startCall(
      { ...lane, operation: 'chat', tenant: options.tenant, serverAddress: undefined },
      scope,
    );
    // The request is the underlying client's: its first attempt's body gives the estimate.
    try {
      if (guard !== undefined) attachGuard(call, guard, telemetry, lane, retries);
    } catch (error) {
      call.abandon();
      throw error;
    }
    return call;
  };

  const generate = model._generate;
  if (!isWrapped(generate)) {
    model._generate = mark(function _generate(this: unknown, ...args: unknown[]) {
      const scope = currentScope();
      if (!telemetry.enabled || (scope?.call && !scope.call.ended))
        return generate.apply(this, args);
      let call: CallState;
      try {
        call = start(scope);
      } catch (error) {
        reportFault('start call', error);
        return generate.apply(this, args);
      }
      const promise = telemetry.runInCall(call, scope, () => generate.apply(this, args));
      Promise.resolve(promise).then(
        (result: any) => {
          if (!seen.underlying) applyChatResult(call, result);
          call.end();
        },
        (error: unknown) => call.fail(error),
      );
      return promise;
    }, generate);
  }

  const stream = model._streamResponseChunks;
  if (typeof stream === 'function' && !isWrapped(stream)) {
    model._streamResponseChunks = mark(async function* _streamResponseChunks(
      this: unknown,
      ...args: unknown[]
    ) {
      const scope = currentScope();
      if (!telemetry.enabled || (scope?.call && !scope.call.ended)) {
        yield* stream.apply(this, args);
        return;
      }
      const call = start(scope);
      // A generator body runs in the context of whoever calls next(), so every step is run
      // inside the call's scope for the client's attempts to find it.
      const iterator = telemetry.runInCall(call, scope, () =>
        stream.apply(this, args),
      ) as AsyncIterator<any>;
      let failure: unknown;
      let usage: { input_tokens?: number; output_tokens?: number } | undefined;
      try {
        for (;;) {
          const step = await telemetry.runInCall(call, scope, () => iterator.next());
          if (step.done) return;
          usage = step.value?.message?.usage_metadata ?? usage;
          yield step.value;
        }
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        if (!seen.underlying && usage) call.addUsage(usage.input_tokens, usage.output_tokens);
        if (failure === undefined) {
          await iterator.return?.();
          call.end();
        } else {
          call.fail(failure);
        }
      }
    }, stream);
  }

  // ChatOpenAI keeps its `openai` clients on itself and on its `completions` / `responses`
  // delegates, creating each on first use in `_getClientOptions`.
  for (const holder of [model, model.completions, model.responses]) {
    if (holder && typeof holder._getClientOptions === 'function')
      watchClientCreation(holder, instrumentClient);
  }
  for (const name of ['client', 'streamingClient', 'batchClient']) instrumentClient(model[name]);
}

function watchClientCreation(holder: any, instrumentClient: (client: any) => void): void {
  instrumentClient(holder.client);
  const original = holder._getClientOptions;
  if (isWrapped(original)) return;
  holder._getClientOptions = mark(function _getClientOptions(this: any, ...args: unknown[]) {
    const result = original.apply(this, args);
    instrumentClient(this.client);
    return result;
  }, original);
}

function instrumentUnderlying(client: any, telemetry: Telemetry): boolean {
  try {
    if (isOpenAIClient(client)) instrumentClientInstance(client, openaiSpec, telemetry);
    else if (isAnthropicClient(client)) instrumentClientInstance(client, anthropicSpec, telemetry);
    else return false;
    return true;
  } catch (error) {
    reportFault('instrument underlying client', error);
    return false;
  }
}

/** Usage from LangChain's own result, for models whose HTTP client Headroom cannot see. */
function applyChatResult(call: CallState, result: any): void {
  const usage = result?.generations?.[0]?.message?.usage_metadata;
  const tokenUsage = result?.llmOutput?.tokenUsage;
  const facts: CallResult = usage
    ? { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens }
    : { inputTokens: tokenUsage?.promptTokens, outputTokens: tokenUsage?.completionTokens };
  call.addUsage(facts.inputTokens, facts.outputTokens);
}

function apiKeyOf(model: any): string | undefined {
  for (const candidate of [
    model.apiKey,
    model.openAIApiKey,
    model.anthropicApiKey,
    model.clientConfig?.apiKey,
  ]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return undefined;
}

function safeCall<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
