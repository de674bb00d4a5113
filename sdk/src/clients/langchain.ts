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
import {
  isChatModel,
  llmType,
  replaceGenerate,
  replaceStreamChunks,
  retryCallers,
  watchUnderlyingClients,
} from './internals/langchain.js';
import { isHolder } from './internals/member.js';
import { isOpenAIClient, openaiSpec } from './openai.js';
import { instrumentClientInstance, isWrapped, mark } from './patch-client.js';

/** A LangChain.js chat model: anything with `_generate` and `_llmType` (`BaseChatModel`). */
export function isLangChainChatModel(model: unknown): boolean {
  return isChatModel(model);
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
  const state = { underlying: false, uninstrumented: false };
  // The model's calls in flight: a client found uninstrumentable during one gives it up.
  const mine = new WeakSet<CallState>();
  const type = llmType(model);
  const provider = (): string => options.provider ?? PROVIDERS[type] ?? type;
  let guard = resolveGuard(options.guard);
  // Only models that send through an openai or Anthropic client can be guarded; any other
  // keeps its own retries.
  if (guard !== undefined && !GUARDABLE.has(type)) {
    reportFault(
      'guard',
      new TypeError(
        'this model’s HTTP client is not an openai or @anthropic-ai/sdk client, so its calls cannot be guarded',
      ),
    );
    guard = undefined;
  }
  // The guard is the one retry layer: LangChain's own retries (its AsyncCallers', 6 by
  // default) become the guard's, and the callers stop retrying, but only once an underlying
  // client has its attempts wrapped, so that the guard is really there to retry. ChatOpenAI
  // sends through its `completions` and `responses` delegates, each with a caller of its own.
  const callers = guard === undefined ? [] : retryCallers(model);
  const retries = Math.max(0, ...callers.map((caller) => caller.maxRetries));
  const takeOverRetries = () => {
    for (const caller of callers.splice(0)) {
      const own = caller.maxRetries;
      caller.setMaxRetries(0);
      // Once Headroom shuts down, nothing guards the model: its own retries come back.
      addUndo(() => caller.setMaxRetries(own));
    }
  };
  const instrumentClient = (client: unknown) => {
    // A model found uninstrumentable stays so: its retries are never taken over.
    if (state.uninstrumented) return;
    const result = instrumentUnderlying(client, telemetry);
    if (result === 'instrumented') {
      state.underlying = true;
      takeOverRetries();
    } else if (result === 'uninstrumentable' && !state.underlying) {
      // Its attempts cannot be seen: the model goes on uninstrumented with its own retries,
      // and a call already started for it (the client is made on first use) is given up.
      state.uninstrumented = true;
      const call = currentScope()?.call;
      if (call !== undefined && mine.has(call)) call.abandon();
    }
  };
  const start = (scope: Scope | undefined, messages: unknown): CallState => {
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
    mine.add(call);
    call.noteRequest(messages);
    // The request is the underlying client's: its first attempt's body gives the estimate.
    try {
      if (guard !== undefined) attachGuard(call, guard, telemetry, lane, retries);
    } catch (error) {
      call.abandon();
      throw error;
    }
    return call;
  };
  const passThrough = (scope: Scope | undefined) =>
    !telemetry.enabled || state.uninstrumented || (scope?.call !== undefined && !scope.call.ended);

  const undoGenerate = replaceGenerate(model, (generate) =>
    isWrapped(generate)
      ? generate
      : mark(function _generate(this: unknown, ...args: unknown[]) {
          const scope = currentScope();
          if (passThrough(scope)) return generate.apply(this, args);
          let call: CallState;
          try {
            call = start(scope, args[0]);
          } catch (error) {
            reportFault('start call', error);
            return generate.apply(this, args);
          }
          const promise = telemetry.runInCall(call, scope, () => generate.apply(this, args));
          Promise.resolve(promise).then(
            (result: any) => {
              if (!state.underlying) applyChatResult(call, result);
              call.end();
            },
            (error: unknown) => call.fail(error),
          );
          return promise;
        }, generate),
  );
  // Without `_generate` nothing of the model is seen: it is left as it is (said once).
  if (undoGenerate === undefined) return;

  replaceStreamChunks(model, (stream) =>
    isWrapped(stream)
      ? stream
      : mark(async function* _streamResponseChunks(this: unknown, ...args: unknown[]) {
          const scope = currentScope();
          let call: CallState | undefined;
          if (!passThrough(scope)) {
            try {
              call = start(scope, args[0]);
            } catch (error) {
              reportFault('start call', error);
            }
          }
          if (call === undefined) {
            yield* stream.apply(this, args) as AsyncIterable<unknown>;
            return;
          }
          yield* observeChunks(call, scope, telemetry, state, () => stream.apply(this, args));
        }, stream),
  );

  watchUnderlyingClients(model, instrumentClient, isWrapped, mark);
}

/** A streamed call: every step of the model's generator is run inside the call's scope. */
async function* observeChunks(
  call: CallState,
  scope: Scope | undefined,
  telemetry: Telemetry,
  state: { underlying: boolean },
  open: () => unknown,
): AsyncGenerator<unknown> {
  // A generator body runs in the context of whoever calls next(), so every step is run
  // inside the call's scope for the client's attempts to find it.
  const iterator = telemetry.runInCall(call, scope, open) as AsyncIterator<any>;
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
    if (!state.underlying && usage) call.addUsage(usage.input_tokens, usage.output_tokens);
    if (failure === undefined) {
      await iterator.return?.();
      call.end();
    } else {
      call.fail(failure);
    }
  }
}

/** Instruments an openai or Anthropic client under a model, if that is what it is. */
function instrumentUnderlying(
  client: unknown,
  telemetry: Telemetry,
): 'instrumented' | 'uninstrumentable' | 'not a client' {
  try {
    const spec = isOpenAIClient(client)
      ? openaiSpec
      : isAnthropicClient(client)
        ? anthropicSpec
        : undefined;
    if (spec === undefined || !isHolder(client)) return 'not a client';
    return instrumentClientInstance(client, spec, telemetry) ? 'instrumented' : 'uninstrumentable';
  } catch (error) {
    reportFault('instrument underlying client', error);
    return 'uninstrumentable';
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
