import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as anthropic1 from '@anthropic-ai/sdk';
import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOpenAI } from '@langchain/openai';
import * as anthropic0 from 'anthropic-v0';
import * as openai6 from 'openai';
import * as openai4 from 'openai-v4';
import * as openai5 from 'openai-v5';
import { satisfies } from 'semver';
import { afterEach, describe, expect, it } from 'vitest';
import { HOOKS } from '../src/auto/module-instrumentation.js';
import { countTokens, resources, stats } from './mock.js';

/**
 * The client versions Headroom supports, each run against the mock provider: calls and HTTP
 * attempts with the client's own retries on a 429, tokens, rate-limit headers, a streamed
 * call, the guard holding a fan-out to no 429, and the zero-code path (the module hook's patch
 * of the client class). Older lines are installed as npm aliases (`openai-v4`, `openai-v5`,
 * `anthropic-v0`).
 */

const require = createRequire(import.meta.url);

/** The version of the package `name` resolves to here. */
function installedVersion(name: string): string {
  let directory = dirname(require.resolve(name));
  for (;;) {
    const file = join(directory, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof json.name === 'string' && typeof json.version === 'string') return json.version;
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no package.json above ${name}`);
    directory = parent;
  }
}

const KEY = 'sk-matrix';
const FINGERPRINT = `key-${createHash('sha256').update(KEY).digest('hex').slice(0, 8)}`;
const LIMITS = { rpm: 6_000, tpm: 1_000_000 };
const messages = [{ role: 'user' as const, content: 'Hello there' }];

const open = resources();
afterEach(() => open.close());

type Telemetry = ReturnType<typeof open.telemetry>;

/** Everything a call of one series left in the metrics, as exact numbers. */
async function figures(telemetry: Telemetry, model: string) {
  await telemetry.collect();
  const of = { 'gen_ai.request.model': model, 'headroom.key': FINGERPRINT };
  return {
    callsOk: telemetry.sum('headroom.calls', { ...of, 'headroom.outcome': 'ok' }),
    callsFailed: telemetry.points('headroom.calls').length > 1,
    requestsOk: telemetry.sum('headroom.requests', { ...of, 'headroom.outcome': 'ok' }),
    requestsRateLimited: telemetry.sum('headroom.requests', {
      ...of,
      'headroom.outcome': 'rate_limited',
    }),
    inputTokens: telemetry.sum('headroom.tokens', { ...of, 'gen_ai.token.type': 'input' }),
    outputTokens: telemetry.sum('headroom.tokens', { ...of, 'gen_ai.token.type': 'output' }),
    limit: (dimension: string) =>
      telemetry.last('headroom.ratelimit.limit', {
        ...of,
        'headroom.ratelimit.dimension': dimension,
      }),
    remaining: (dimension: string) =>
      telemetry.last('headroom.ratelimit.remaining', {
        ...of,
        'headroom.ratelimit.dimension': dimension,
      }),
  };
}

/** Each line's module as it loads (what the module hook gets), typed as the current line. */
type OpenAIModule = typeof openai6;
const OPENAI: Array<{ line: string; package: string; module: OpenAIModule }> = [
  { line: '4', package: 'openai-v4', module: openai4 as unknown as OpenAIModule },
  { line: '5', package: 'openai-v5', module: openai5 as unknown as OpenAIModule },
  { line: '6', package: 'openai', module: openai6 },
];

const openaiHook = HOOKS.find((hook) => hook.module === 'openai')!;
const anthropicHook = HOOKS.find((hook) => hook.module === '@anthropic-ai/sdk')!;

for (const { package: name, line, module } of OPENAI) {
  const OpenAI = module.default;
  const version = installedVersion(name);
  describe(`openai ${version}`, () => {
    const MODEL = 'gpt-4o-mini';
    const usage = countTokens({ messages });

    async function setUp(guard?: { concurrency: number }, latencyMs = 0) {
      // A guarded key takes as many requests at once as the guard allows, and 429s past that.
      const limits = guard === undefined ? LIMITS : { ...LIMITS, concurrency: guard.concurrency };
      const mock = await open.mock({ keys: { [KEY]: limits }, latency: { fixedMs: latencyMs } });
      const telemetry = open.telemetry();
      const client = telemetry.headroom.instrument(
        new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1` }),
        guard === undefined ? {} : { key: FINGERPRINT, guard },
      );
      return { mock, telemetry, client };
    }

    it(`is the latest ${line}.x, inside the module hook's range`, () => {
      expect(version.split('.')[0]).toBe(line);
      expect(openaiHook.versions.some((range) => satisfies(version, range))).toBe(true);
    });

    it('a 429 retried by the client itself: 1 call, 2 attempts, tokens and rate-limit headers', async () => {
      const { mock, telemetry, client } = await setUp();
      mock.script([429], { key: KEY });
      const { data, response } = await client.chat.completions
        .create({ model: MODEL, messages })
        .withResponse();
      expect(data.usage?.prompt_tokens).toBe(usage.inputTokens);

      const seen = await figures(telemetry, MODEL);
      expect(seen.callsOk).toBe(1);
      expect(seen.callsFailed).toBe(false);
      expect([seen.requestsOk, seen.requestsRateLimited]).toEqual([1, 1]);
      expect([seen.inputTokens, seen.outputTokens]).toEqual([
        usage.inputTokens,
        usage.outputTokens,
      ]);
      expect(seen.limit('requests')).toBe(LIMITS.rpm);
      expect(seen.limit('tokens')).toBe(LIMITS.tpm);
      expect(seen.remaining('requests')).toBe(
        Number(response.headers.get('x-ratelimit-remaining-requests')),
      );
      expect(seen.remaining('tokens')).toBe(
        Number(response.headers.get('x-ratelimit-remaining-tokens')),
      );
      expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 2, rateLimited: 1 });
    });

    it('a streamed call with include_usage: its tokens, one attempt', async () => {
      const { telemetry, client } = await setUp();
      const stream = await client.chat.completions.create({
        model: MODEL,
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toHaveLength(4 * usage.outputTokens);

      const seen = await figures(telemetry, MODEL);
      expect([seen.callsOk, seen.requestsOk, seen.requestsRateLimited]).toEqual([1, 1, 0]);
      expect([seen.inputTokens, seen.outputTokens]).toEqual([
        usage.inputTokens,
        usage.outputTokens,
      ]);
    });

    it('guarded: a fan-out of 6 on a key that takes 2 at once gets no 429', async () => {
      const { mock, telemetry, client } = await setUp({ concurrency: 2 }, 20);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => client.chat.completions.create({ model: MODEL, messages })),
      );
      expect(answers).toHaveLength(6);
      const provider = (await stats(mock)).keys[KEY]!;
      expect([provider.requests, provider.rateLimited]).toEqual([6, 0]);
      expect(provider.peakConcurrency).toBeLessThanOrEqual(2);
      const seen = await figures(telemetry, MODEL);
      expect([seen.callsOk, seen.requestsOk, seen.requestsRateLimited]).toEqual([6, 6, 0]);
    });

    it('zero-code: the module hook’s patch instruments every client of the class', async () => {
      const mock = await open.mock({ keys: { [KEY]: LIMITS } });
      const telemetry = open.telemetry();
      open.add(openaiHook.patch(module, telemetry.headroom.telemetry));
      const client = new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1` });
      mock.script([429], { key: KEY });
      await client.chat.completions.create({ model: MODEL, messages });

      const seen = await figures(telemetry, MODEL);
      expect(seen.callsOk).toBe(1);
      expect([seen.requestsOk, seen.requestsRateLimited]).toEqual([1, 1]);
      expect([seen.inputTokens, seen.outputTokens]).toEqual([
        usage.inputTokens,
        usage.outputTokens,
      ]);
    });
  });
}

type AnthropicModule = typeof anthropic1;
const ANTHROPIC: Array<{ line: string; package: string; module: AnthropicModule }> = [
  { line: '0', package: 'anthropic-v0', module: anthropic0 as unknown as AnthropicModule },
  { line: '1', package: '@anthropic-ai/sdk', module: anthropic1 },
];

for (const { package: name, line, module } of ANTHROPIC) {
  const Anthropic = module.default;
  const version = installedVersion(name);
  describe(`@anthropic-ai/sdk ${version}`, () => {
    const MODEL = 'claude-mock-1';
    const usage = countTokens({ messages, max_tokens: 100 });

    async function setUp(guard?: { concurrency: number }, latencyMs = 0) {
      const limits = guard === undefined ? LIMITS : { ...LIMITS, concurrency: guard.concurrency };
      const mock = await open.mock({ keys: { [KEY]: limits }, latency: { fixedMs: latencyMs } });
      const telemetry = open.telemetry();
      const client = telemetry.headroom.instrument(
        new Anthropic({ apiKey: KEY, baseURL: mock.url }),
        guard === undefined ? {} : { key: FINGERPRINT, guard },
      );
      return { mock, telemetry, client };
    }

    it(`is a ${line}.x, inside the module hook's range`, () => {
      expect(version.split('.')[0]).toBe(line);
      expect(anthropicHook.versions.some((range) => satisfies(version, range))).toBe(true);
    });

    it('a 429 retried by the client itself: 1 call, 2 attempts, tokens and rate-limit headers', async () => {
      const { mock, telemetry, client } = await setUp();
      mock.script([429], { key: KEY });
      const { data, response } = await client.messages
        .create({ model: MODEL, max_tokens: 100, messages })
        .withResponse();
      expect(data.usage.input_tokens).toBe(usage.inputTokens);

      const seen = await figures(telemetry, MODEL);
      expect(seen.callsOk).toBe(1);
      expect(seen.callsFailed).toBe(false);
      expect([seen.requestsOk, seen.requestsRateLimited]).toEqual([1, 1]);
      expect([seen.inputTokens, seen.outputTokens]).toEqual([
        usage.inputTokens,
        usage.outputTokens,
      ]);
      expect(seen.limit('requests')).toBe(LIMITS.rpm);
      expect(seen.remaining('requests')).toBe(
        Number(response.headers.get('anthropic-ratelimit-requests-remaining')),
      );
      expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 2, rateLimited: 1 });
    });

    it('a streamed call: its tokens, one attempt', async () => {
      const { telemetry, client } = await setUp();
      const stream = await client.messages.create({
        model: MODEL,
        max_tokens: 100,
        messages,
        stream: true,
      });
      let text = '';
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
          text += event.delta.text;
      }
      expect(text).toHaveLength(4 * usage.outputTokens);

      const seen = await figures(telemetry, MODEL);
      expect([seen.callsOk, seen.requestsOk, seen.requestsRateLimited]).toEqual([1, 1, 0]);
      expect([seen.inputTokens, seen.outputTokens]).toEqual([
        usage.inputTokens,
        usage.outputTokens,
      ]);
    });

    it('guarded: a fan-out of 6 on a key that takes 2 at once gets no 429', async () => {
      const { mock, telemetry, client } = await setUp({ concurrency: 2 }, 20);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          client.messages.create({ model: MODEL, max_tokens: 100, messages }),
        ),
      );
      expect(answers).toHaveLength(6);
      const provider = (await stats(mock)).keys[KEY]!;
      expect([provider.requests, provider.rateLimited]).toEqual([6, 0]);
      expect(provider.peakConcurrency).toBeLessThanOrEqual(2);
      const seen = await figures(telemetry, MODEL);
      expect([seen.callsOk, seen.requestsOk, seen.requestsRateLimited]).toEqual([6, 6, 0]);
    });

    it('zero-code: the module hook’s patch instruments every client of the class', async () => {
      const mock = await open.mock({ keys: { [KEY]: LIMITS } });
      const telemetry = open.telemetry();
      open.add(anthropicHook.patch(module, telemetry.headroom.telemetry));
      const client = new Anthropic({ apiKey: KEY, baseURL: mock.url });
      mock.script([429], { key: KEY });
      await client.messages.create({ model: MODEL, max_tokens: 100, messages });

      const seen = await figures(telemetry, MODEL);
      expect(seen.callsOk).toBe(1);
      expect([seen.requestsOk, seen.requestsRateLimited]).toEqual([1, 1]);
      expect([seen.inputTokens, seen.outputTokens]).toEqual([
        usage.inputTokens,
        usage.outputTokens,
      ]);
    });
  });
}

describe('LangChain, as pinned', () => {
  it('ChatOpenAI: one invoke is one call, its tokens once; guarded, a fan-out of 4 gets no 429', async () => {
    const mock = await open.mock({
      keys: { [KEY]: { ...LIMITS, concurrency: 2 } },
      latency: { fixedMs: 20 },
    });
    const telemetry = open.telemetry();
    const model = telemetry.headroom.instrument(
      new ChatOpenAI({
        model: 'gpt-4o-mini',
        apiKey: KEY,
        configuration: { baseURL: `${mock.url}/v1` },
      }),
      { key: FINGERPRINT, guard: { concurrency: 2 } },
    );
    await Promise.all(Array.from({ length: 4 }, () => model.invoke('Hello there')));
    const usage = countTokens({ messages });
    const seen = await figures(telemetry, 'gpt-4o-mini');
    expect([seen.callsOk, seen.requestsOk, seen.requestsRateLimited]).toEqual([4, 4, 0]);
    expect([seen.inputTokens, seen.outputTokens]).toEqual([
      4 * usage.inputTokens,
      4 * usage.outputTokens,
    ]);
    const provider = (await stats(mock)).keys[KEY]!;
    expect([provider.requests, provider.rateLimited]).toEqual([4, 0]);
    expect(provider.peakConcurrency).toBeLessThanOrEqual(2);
  });

  it('ChatAnthropic: one invoke is one call, its attempts and tokens seen on its client', async () => {
    const mock = await open.mock({ keys: { [KEY]: LIMITS } });
    const telemetry = open.telemetry();
    const model = telemetry.headroom.instrument(
      new ChatAnthropic({
        model: 'claude-mock-1',
        apiKey: KEY,
        anthropicApiUrl: mock.url,
        maxTokens: 100,
      }),
    );
    await model.invoke('Hello there');
    const usage = countTokens({ messages, max_tokens: 100 });
    const seen = await figures(telemetry, 'claude-mock-1');
    expect([seen.callsOk, seen.requestsOk, seen.requestsRateLimited]).toEqual([1, 1, 0]);
    expect([seen.inputTokens, seen.outputTokens]).toEqual([usage.inputTokens, usage.outputTokens]);
    expect(seen.limit('requests')).toBe(LIMITS.rpm);
  });

  it('the pinned versions are inside the module hooks’ ranges', () => {
    for (const module of ['@langchain/openai', '@langchain/anthropic', '@langchain/langgraph']) {
      const hook = HOOKS.find((candidate) => candidate.module === module)!;
      const version = installedVersion(module);
      expect({
        module,
        version,
        in: hook.versions.some((range) => satisfies(version, range)),
      }).toEqual({ module, version, in: true });
    }
  });
});

describe('the supported ranges, declared once', () => {
  it('the optional peer dependencies are the module hooks’ ranges', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    for (const module of ['openai', '@anthropic-ai/sdk']) {
      const hook = HOOKS.find((candidate) => candidate.module === module)!;
      expect({ module, range: manifest.peerDependencies[module] }).toEqual({
        module,
        range: hook.versions.join(' || '),
      });
    }
    for (const module of ['openai', '@anthropic-ai/sdk', '@langchain/core']) {
      expect(manifest.peerDependenciesMeta[module]).toEqual({ optional: true });
    }
    // What the tests install as the current lines is inside the declared ranges.
    expect(
      satisfies(installedVersion('@langchain/core'), manifest.peerDependencies['@langchain/core']),
    ).toBe(true);
  });
});
