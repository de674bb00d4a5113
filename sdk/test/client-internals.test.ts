import Anthropic from '@anthropic-ai/sdk';
import { ChatOpenAI } from '@langchain/openai';
import OpenAI, * as openaiModule from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HOOKS } from '../src/auto/module-instrumentation.js';
import { HeadroomInstrumentation } from '../src/index.js';
import { resetFaults } from '../src/internal/fault.js';
import { SCOPE_NAME } from '../src/version.js';
import { resources, stats } from './mock.js';

/**
 * A private member Headroom needs is missing (as after an upstream rename): Headroom says so
 * once, and the client keeps working uninstrumented, with its own retries, even when it was
 * asked to guard it. Headroom reads the members when it instruments; the member is hidden on
 * the instance for that moment only, so that the client's own code, which still calls it by
 * its old name, goes on working.
 */

const KEY = 'sk-internals';
const MODEL = 'gpt-4o-mini';
const messages = [{ role: 'user' as const, content: 'Hello there' }];

const open = resources();
afterEach(() => open.close());

/** Runs `fn` while `member` reads as absent on `owner`; the original is visible again after. */
function withoutMember<T>(owner: object, member: string, fn: () => T): T {
  const own = Object.getOwnPropertyDescriptor(owner, member);
  Object.defineProperty(owner, member, { value: undefined, configurable: true, writable: true });
  try {
    return fn();
  } finally {
    if (own === undefined) delete (owner as Record<string, unknown>)[member];
    else Object.defineProperty(owner, member, own);
  }
}

function warnings() {
  resetFaults();
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  open.add(() => warn.mockRestore());
  return () => warn.mock.calls.map((call) => String(call[0]));
}

async function nothingRecorded(telemetry: ReturnType<typeof open.telemetry>) {
  await telemetry.collect();
  expect(telemetry.points('headroom.calls')).toEqual([]);
  expect(telemetry.points('headroom.requests')).toEqual([]);
  expect(telemetry.sum('headroom.calls.active')).toBe(0);
  // Headroom's own: @anthropic-ai/sdk 1.x makes spans of its own on the global tracer.
  expect(telemetry.spans().filter((span) => span.instrumentationScope.name === SCOPE_NAME)).toEqual(
    [],
  );
}

describe('a missing private member', () => {
  it('openai without fetchWithTimeout, guarded: said once; the client retries its 429 itself and succeeds', async () => {
    const said = warnings();
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const clients = [1, 2].map(() => {
      const client = new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 2 });
      return withoutMember(client, 'fetchWithTimeout', () =>
        telemetry.headroom.instrument(client, { key: 'prod', guard: true }),
      );
    });
    expect(said()).toEqual([
      '[headroom] openai has no `fetchWithTimeout`: not a supported version of openai? its calls go on uninstrumented and unguarded, with its own retries (further faults here are not logged)',
    ]);
    // Left as it is: neither its attempts nor its methods are wrapped.
    expect(clients[0]!.fetchWithTimeout).toBe(OpenAI.prototype.fetchWithTimeout);
    expect(clients[0]!.chat.completions.create).toBe(OpenAI.Chat.Completions.prototype.create);

    mock.script([429, 429], { key: KEY });
    const answer = await clients[0]!.chat.completions.create({ model: MODEL, messages });
    expect(answer.choices).toHaveLength(1);
    // Its own 2 retries, not the guard's 0: two 429s, then the answer.
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 3, rateLimited: 2 });
    await nothingRecorded(telemetry);
    expect(said()).toHaveLength(1);
  });

  it('@anthropic-ai/sdk without fetchWithTimeout, guarded: said once; its own retries', async () => {
    const said = warnings();
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const client = new Anthropic({ apiKey: KEY, baseURL: mock.url, maxRetries: 1 });
    withoutMember(client, 'fetchWithTimeout', () =>
      telemetry.headroom.instrument(client, { key: 'prod', guard: true }),
    );
    mock.script([429], { key: KEY });
    const message = await client.messages.create({
      model: 'claude-mock-1',
      max_tokens: 32,
      messages,
    });
    expect(message.content).toHaveLength(1);
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 2, rateLimited: 1 });
    await nothingRecorded(telemetry);
    expect(said()).toEqual([
      '[headroom] @anthropic-ai/sdk has no `fetchWithTimeout`: not a supported version of @anthropic-ai/sdk? its calls go on uninstrumented and unguarded, with its own retries (further faults here are not logged)',
    ]);
  });

  it('zero-code: a client class without fetchWithTimeout is left as it is, said once', async () => {
    const said = warnings();
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const hook = HOOKS.find((candidate) => candidate.module === 'openai')!;
    const fetchWithTimeout = OpenAI.prototype.fetchWithTimeout;
    const create = OpenAI.Chat.Completions.prototype.create;
    open.add(
      withoutMember(OpenAI.prototype, 'fetchWithTimeout', () =>
        hook.patch(openaiModule, telemetry.headroom.telemetry),
      ),
    );
    expect(OpenAI.prototype.fetchWithTimeout).toBe(fetchWithTimeout);
    expect(OpenAI.Chat.Completions.prototype.create).toBe(create);
    expect(said()).toHaveLength(1);
    expect(said()[0]).toContain('openai has no `fetchWithTimeout`');

    mock.script([429], { key: KEY });
    const client = new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1` });
    expect((await client.chat.completions.create({ model: MODEL, messages })).choices).toHaveLength(
      1,
    );
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 2, rateLimited: 1 });
    await nothingRecorded(telemetry);
  });

  it('a guarded ChatOpenAI whose openai client has no fetchWithTimeout keeps LangChain’s retries', async () => {
    const said = warnings();
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const model = new ChatOpenAI({
      model: MODEL,
      apiKey: KEY,
      configuration: { baseURL: `${mock.url}/v1` },
      maxRetries: 3,
    });
    await model.invoke('Hello there'); // ChatOpenAI makes its openai client on first use
    const internals = model as unknown as Record<'completions' | 'responses', unknown>;
    const holders = [model, internals.completions, internals.responses] as unknown as Array<{
      client?: object;
      caller?: { maxRetries: number };
    }>;
    const underlying = holders.find((holder) => holder?.client !== undefined)!.client!;
    withoutMember(underlying, 'fetchWithTimeout', () =>
      telemetry.headroom.instrument(model, { key: 'prod', guard: true }),
    );
    expect(holders.map((holder) => holder?.caller?.maxRetries)).toEqual([3, 3, 3]);

    mock.script([429], { key: KEY });
    const answer = await model.invoke('Hello there');
    expect(typeof answer.content).toBe('string');
    // The first invoke, then LangChain's own retry of the 429.
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 3, rateLimited: 1 });
    await nothingRecorded(telemetry);
    expect(said()).toEqual([
      '[headroom] openai has no `fetchWithTimeout`: not a supported version of openai? its calls go on uninstrumented and unguarded, with its own retries (further faults here are not logged)',
    ]);
  });

  it('a streamed LangChain call whose guard cannot attach goes on uninstrumented, nothing in flight', async () => {
    const said = warnings();
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const model = telemetry.headroom.instrument(
      new ChatOpenAI({ model: MODEL, apiKey: KEY, configuration: { baseURL: `${mock.url}/v1` } }),
      { key: 'prod', guard: true },
    );
    vi.spyOn(telemetry.headroom.telemetry.guard, 'lane').mockImplementation(() => {
      throw new Error('no lane today');
    });
    let text = '';
    for await (const chunk of await model.stream('Hello there')) text += String(chunk.content);
    expect(text.length).toBeGreaterThan(0);
    expect((await stats(mock)).keys[KEY]!.requests).toBe(1);
    await telemetry.collect();
    expect(telemetry.sum('headroom.calls.active')).toBe(0);
    // Counted once, by its openai client (unguarded), and not left in flight by the model.
    expect(telemetry.sum('headroom.calls')).toBe(1);
    expect(telemetry.sum('headroom.requests')).toBe(1);
    expect(said()).toEqual([
      '[headroom] start call: no lane today (further faults here are not logged)',
    ]);
  });
});

describe('a module version outside the supported range', () => {
  it('is not patched, and said once per module; versions inside are patched, and nothing said', () => {
    const said = warnings();
    const instrumentation = new HeadroomInstrumentation({ enabled: false });
    const definitions = instrumentation
      .getModuleDefinitions()
      .filter((definition) => definition.name === 'openai');
    expect(definitions.map((definition) => definition.supportedVersions)).toEqual([
      ['>=4 <7'],
      ['*'],
    ]);
    const [ranged, any] = definitions as [
      (typeof definitions)[number],
      (typeof definitions)[number],
    ];
    const moduleExports = {};
    for (const version of ['4.104.0', '5.23.2', '6.49.0']) any.patch?.(moduleExports, version);
    expect(said()).toEqual([]);
    for (const version of ['3.3.0', '7.0.0', '7.1.0']) any.patch?.(moduleExports, version);
    expect(said()).toEqual([
      '[headroom] patch openai: version 3.3.0 is outside the supported range >=4 <7: its calls go on uninstrumented (further faults here are not logged)',
    ]);
    // The ranged definition is the one that patches; the library only calls it inside its range.
    expect(ranged.patch).toBeTypeOf('function');
  });
});
