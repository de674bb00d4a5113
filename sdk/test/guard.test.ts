import { AsyncLocalStorage } from 'node:async_hooks';
import Anthropic from '@anthropic-ai/sdk';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { ChatOpenAI } from '@langchain/openai';
import { SpanKind, trace } from '@opentelemetry/api';
import OpenAI, { AzureOpenAI, RateLimitError } from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SECOND_WINDOW_MS } from '../src/guard/budget.js';
import { manualClock } from '../src/guard/manual-clock.js';
import type { GuardOptions } from '../src/index.js';
import { resetFaults } from '../src/internal/fault.js';
import { resources, stats } from './mock.js';

const KEY = 'sk-guard-test';
const MODEL = 'gpt-4o-mini';
const messages = [{ role: 'user' as const, content: 'Hello there' }];

const open = resources();
afterEach(() => open.close());

async function setUp({
  guard,
  latencyMs = 0,
  clock,
  clientOptions = {},
}: {
  guard: boolean | GuardOptions;
  latencyMs?: number;
  clock?: ReturnType<typeof manualClock>;
  clientOptions?: ConstructorParameters<typeof OpenAI>[0];
}) {
  const mock = await open.mock({ latency: { fixedMs: latencyMs } });
  const telemetry = open.telemetry(clock ? { guardClock: clock } : {});
  const client = (tenant?: string) =>
    telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, ...clientOptions }),
      { key: 'prod', guard, ...(tenant !== undefined && { tenant }) },
    );
  return { mock, telemetry, client };
}

/** Polls `check` on real time until it holds: for what happens over HTTP, not on the clock. */
async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('guard on an openai client', () => {
  it('a guard that cannot be attached: the call goes through uninstrumented, nothing left in flight', async () => {
    resetFaults();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    open.add(() => warn.mockRestore());
    const { mock, telemetry, client } = await setUp({ guard: true });
    vi.spyOn(telemetry.headroom.telemetry.guard, 'lane').mockImplementation(() => {
      throw new Error('no lane today');
    });
    const answer = await client().chat.completions.create({ model: MODEL, messages });
    expect(answer.choices).toHaveLength(1);
    expect((await stats(mock)).keys[KEY]!.requests).toBe(1);
    await telemetry.collect();
    expect(telemetry.sum('headroom.calls.active')).toBe(0);
    expect(telemetry.sum('headroom.calls')).toBe(0);
    expect(
      telemetry
        .spans()
        .filter((span) => span.name === `chat ${MODEL}`)
        .map((span) => span.ended),
    ).toEqual([true]);
    expect(warn.mock.calls.map((call) => call[0])).toEqual([
      '[headroom] start call: no lane today (further faults here are not logged)',
    ]);
  });

  it('never has more requests at the provider than its concurrency, and every call succeeds', async () => {
    const { mock, client } = await setUp({ guard: { concurrency: 3 }, latencyMs: 100 });
    const openai = client();
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => openai.chat.completions.create({ model: MODEL, messages })),
    );
    expect(answers).toHaveLength(12);
    const truth = (await stats(mock)).keys[KEY]!;
    expect(truth).toMatchObject({ requests: 12, admitted: 12, rateLimited: 0 });
    expect(truth.peakConcurrency).toBe(3);
  });

  it('an image is estimated as an image, not its base64: five 1 MB images go at once under a TPM their base64 would spend many times over', async () => {
    const { mock, client, telemetry } = await setUp({
      guard: { tpm: 600_000 },
      latencyMs: 100,
    });
    const openai = client();
    // 1 MB of bytes as base64: 1.4 M characters, some 350,000 tokens if it were text.
    const image = `data:image/png;base64,${Buffer.alloc(1_000_000, 7).toString('base64')}`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        openai.chat.completions.create({
          model: MODEL,
          max_tokens: 50,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'What is in this picture?' },
                { type: 'image_url', image_url: { url: image } },
              ],
            },
          ],
        }),
      ),
    );
    expect(answers).toHaveLength(5);
    const truth = (await stats(mock)).keys[KEY]!;
    expect(truth).toMatchObject({ requests: 5, rateLimited: 0 });
    // Charged as text, the first would take the second's budget and the next the minute's.
    expect(truth.peakConcurrency).toBe(5);
    await telemetry.collect();
    expect(telemetry.sum('headroom.guard.delayed')).toBe(0);
    expect(telemetry.sum('headroom.guard.admitted')).toBe(5);
  });

  it('a 429 with retry-after 2 s: the next attempt waits 2 s on the guard’s clock, then the call succeeds', async () => {
    const clock = manualClock();
    const { mock, client, telemetry } = await setUp({ guard: true, clock });
    mock.script([{ status: 429, retryAfterMs: 2000 }, 200], { key: KEY });
    const call = client().chat.completions.create({ model: MODEL, messages });
    const requests = async () => (await stats(mock)).keys[KEY]?.requests ?? 0;
    await until(async () => (await requests()) === 1, 'the first attempt');
    await clock.advance(1999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await requests()).toBe(1);
    await clock.advance(1);
    const answer = await call;
    expect(answer.choices).toHaveLength(1);
    expect(await requests()).toBe(2);
    await telemetry.collect();
    expect(telemetry.sum('headroom.requests', { 'headroom.outcome': 'rate_limited' })).toBe(1);
    expect(telemetry.sum('headroom.requests', { 'headroom.outcome': 'ok' })).toBe(1);
  });

  it('one retry layer: the client’s maxRetries (5) become the guard’s, not 6 × 6 attempts', async () => {
    const { mock, client } = await setUp({
      guard: { concurrency: 1 },
      clientOptions: { maxRetries: 5 },
    });
    mock.script(Array(6).fill({ status: 500, retryAfterMs: 1 }), { key: KEY });
    const error = await client()
      .chat.completions.create({ model: MODEL, messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 6 });
  });

  it('a streamed answer holds its slot until the stream ends', async () => {
    const { mock, client } = await setUp({ guard: { concurrency: 2 }, latencyMs: 200 });
    const openai = client();
    const chunks = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const stream = await openai.chat.completions.create({
          model: MODEL,
          messages,
          stream: true,
        });
        let count = 0;
        for await (const _chunk of stream) count++;
        return count;
      }),
    );
    expect(chunks.every((count) => count > 1)).toBe(true);
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 6, peakConcurrency: 2 });
  });

  it('a stream the reader leaves early gives its slot back', async () => {
    const { client } = await setUp({ guard: { concurrency: 1 }, latencyMs: 200 });
    const openai = client();
    const stream = await openai.chat.completions.create({ model: MODEL, messages, stream: true });
    for await (const _chunk of stream) break;
    // With the slot still held, this call would wait for ever (the queue timeout is a minute).
    const answer = await openai.chat.completions.create({ model: MODEL, messages });
    expect(answer.object).toBe('chat.completion');
  });

  it('a retry-after past a minute is not taken as asked: the call backs off and succeeds', async () => {
    const clock = manualClock();
    const { mock, client } = await setUp({ guard: { concurrency: 1 }, clock });
    mock.script([{ status: 503, retryAfterMs: 600_000 }, 200], { key: KEY });
    const call = client().chat.completions.create({ model: MODEL, messages });
    await until(async () => (await stats(mock)).keys[KEY]?.requests === 1, 'the first attempt');
    // Full jitter on the first retry waits under 0.5 s, not the ten minutes asked.
    await clock.advance(500);
    await expect(call).resolves.toMatchObject({ object: 'chat.completion' });
    expect((await stats(mock)).keys[KEY]?.requests).toBe(2);
  });

  it('a 429 with no retries left is waited out, not failed, and its wait holds the next call too', async () => {
    const clock = manualClock();
    const { mock, client } = await setUp({ guard: { maxRetries: 0 }, clock });
    mock.script([{ status: 429, retryAfterMs: 2000 }], { key: KEY });
    const openai = client();
    const first = openai.chat.completions.create({ model: MODEL, messages });
    await until(async () => (await stats(mock)).keys[KEY]?.requests === 1, 'the first attempt');
    const next = openai.chat.completions.create({ model: MODEL, messages });
    await clock.advance(1999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await stats(mock)).keys[KEY]?.requests).toBe(1);
    await clock.advance(1);
    await expect(first).resolves.toMatchObject({ object: 'chat.completion' });
    await expect(next).resolves.toMatchObject({ object: 'chat.completion' });
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 3, rateLimited: 1 });
  });

  it('a call fails on 429s only once it has waited its queue time; other errors get maxRetries', async () => {
    const clock = manualClock();
    const { mock, client } = await setUp({
      guard: { maxRetries: 1, queueTimeoutMs: 5000 },
      clock,
    });
    // 429s a second apart, more than the 5 s the call is willing to wait.
    mock.script(Array(10).fill({ status: 429, retryAfterMs: 1000 }), { key: KEY });
    const call = client().chat.completions.create({ model: MODEL, messages });
    const settled = call.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    for (let second = 1; second <= 6; second++) {
      await until(
        async () => (await stats(mock)).keys[KEY]?.requests === Math.min(second, 5),
        `attempt ${second}`,
      );
      await clock.advance(1000);
    }
    // Attempts at 0, 1, 2, 3 and 4 s; the next would start at 5 s, past the call's 5 s.
    expect(await settled).toBeInstanceOf(RateLimitError);
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 5, rateLimited: 5 });
  });

  it('a 429 that says the quota is spent is the answer once the retries are used: no wait mends it', async () => {
    const { mock, client } = await setUp({ guard: { maxRetries: 1 } });
    mock.script(Array(5).fill({ status: 429, code: 'insufficient_quota', retryAfterMs: 1 }), {
      key: KEY,
    });
    const error = await client()
      .chat.completions.create({ model: MODEL, messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as InstanceType<typeof RateLimitError>).code).toBe('insufficient_quota');
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 2, rateLimited: 2 });
  });

  it('an attempt that timed out is retried with a fresh timeout, and reaches the provider', async () => {
    const { mock, client } = await setUp({
      guard: { concurrency: 1 },
      clientOptions: { timeout: 200 },
    });
    mock.script([{ status: 200, latencyMs: 1000 }], { key: KEY });
    const answer = await client().chat.completions.create({ model: MODEL, messages });
    expect(answer.object).toBe('chat.completion');
    expect((await stats(mock)).keys[KEY]?.requests).toBe(2);
  });

  it('two tenants share the key in turn: the second’s calls are not stuck behind the first’s backlog', async () => {
    const { client } = await setUp({ guard: { concurrency: 1 }, latencyMs: 10 });
    const a = client('a');
    const b = client('b');
    const finished: string[] = [];
    const ask = (openai: OpenAI, tenant: string) =>
      openai.chat.completions.create({ model: MODEL, messages }).then(() => finished.push(tenant));
    const backlog = Array.from({ length: 10 }, () => ask(a, 'a'));
    await new Promise((resolve) => setImmediate(resolve));
    const late = [ask(b, 'b'), ask(b, 'b')];
    await Promise.all([...backlog, ...late]);
    // a's first call was already out when b's arrived; then they take turns.
    expect(finished.slice(0, 5)).toEqual(['a', 'b', 'a', 'b', 'a']);
  });

  it('priorities: a batch client’s backlog, then an interactive question goes next; withPriority wins over the client’s', async () => {
    const { telemetry, mock } = await setUp({ guard: true, latencyMs: 10 });
    const { headroom } = telemetry;
    const instrument = (priority: GuardOptions['priority']) =>
      headroom.instrument(new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1` }), {
        key: 'prod',
        guard: { concurrency: 1, priority },
      });
    const batch = instrument('batch');
    const finished: string[] = [];
    const ask = (what: string) =>
      batch.chat.completions.create({ model: MODEL, messages }).then(() => finished.push(what));
    const backlog = Array.from({ length: 6 }, () => ask('batch'));
    await new Promise((resolve) => setImmediate(resolve));
    const urgent = headroom.withPriority('interactive', () => ask('interactive'));
    await Promise.all([...backlog, urgent]);
    // The first batch call was already out; the interactive one went next.
    expect(finished.slice(0, 3)).toEqual(['batch', 'interactive', 'batch']);
    expect(() => headroom.withPriority('urgent' as never, () => 1)).toThrow(
      'Expected `priority` to be one of interactive, normal, batch, got "urgent"',
    );
    expect(() => instrument('now' as never)).toThrow(
      'Expected `guard.priority` to be one of interactive, normal, batch, got "now"',
    );
  });

  it('a provider that states no limits (no headers, no retry-after) is learned from its 429s: every call succeeds', async () => {
    const mock = await open.mock({
      keys: { 'sk-silent': { rpm: 600, headers: false } },
      latency: { fixedMs: 50 },
    });
    const { headroom } = open.telemetry();
    const client = headroom.instrument(
      new OpenAI({ apiKey: 'sk-silent', baseURL: `${mock.url}/v1` }),
      { key: 'silent', guard: true },
    );
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => client.chat.completions.create({ model: MODEL, messages })),
    );
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const truth = (await stats(mock)).keys['sk-silent']!;
    expect(truth.admitted).toBe(100);
    // One at a time would never find the 10 a second; all at once would be refused 1,000 times.
    // Learning costs the first round trips' overshoot.
    expect(truth.rateLimited).toBeGreaterThan(0);
    expect(truth.rateLimited).toBeLessThanOrEqual(25);
    const [lane] = headroom.telemetry.guard.lanes.values();
    expect(lane!.describe(Date.now())).toMatch(
      /no limits stated: \d+ at once, rpm learned from 429s/,
    );
  });

  it('the app’s AsyncLocalStorage and span nesting survive the wait in the queue', async () => {
    const store = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    const { client, telemetry } = await setUp({
      guard: { concurrency: 1 },
      latencyMs: 10,
      clientOptions: {
        fetch: async (input, init) => {
          seen.push(store.getStore());
          return fetch(input, init);
        },
      },
    });
    const openai = client();
    const tracer = trace.getTracer('app');
    await Promise.all(
      ['one', 'two', 'three'].map((request) =>
        store.run(request, () =>
          tracer.startActiveSpan(`handle ${request}`, async (span) => {
            await openai.chat.completions.create({ model: MODEL, messages });
            span.end();
          }),
        ),
      ),
    );
    expect(seen.sort()).toEqual(['one', 'three', 'two']);
    await telemetry.collect();
    const spans = telemetry.spans();
    for (const request of ['one', 'two', 'three']) {
      const handler = spans.find((span) => span.name === `handle ${request}`)!;
      const call = spans.find(
        (span) =>
          span.kind === SpanKind.CLIENT &&
          span.name === `chat ${MODEL}` &&
          span.parentSpanContext?.spanId === handler.spanContext().spanId,
      );
      expect(call, `the call of ${request}`).toBeDefined();
      const attempts = spans.filter(
        (span) => span.parentSpanContext?.spanId === call!.spanContext().spanId,
      );
      // Each answered on its first attempt, so no attempt span under the call.
      expect(attempts.map((span) => span.name)).toEqual([]);
    }
  });

  it('a full queue refuses with the client’s 429, saying the state; nothing reaches the provider', async () => {
    const { mock, client, telemetry } = await setUp({
      guard: { concurrency: 1, maxQueue: 1 },
      latencyMs: 50,
    });
    const openai = client();
    const results = await Promise.allSettled(
      Array.from({ length: 3 }, () => openai.chat.completions.create({ model: MODEL, messages })),
    );
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const error = (results[2] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toBe(
      '429 Headroom guard: queue full for openai/gpt-4o-mini on key prod: 1 running, 1 waiting',
    );
    expect(error.error).toMatchObject({ type: 'headroom_guard', code: 'queue_full' });
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 2, rateLimited: 0 });
    await telemetry.collect();
    expect(telemetry.sum('headroom.requests')).toBe(2);
    expect(telemetry.sum('headroom.calls', { 'headroom.outcome': 'error' })).toBe(1);
    const refused = telemetry
      .spans()
      .find((span) => span.attributes['error.type'] === 'guard.queue_full');
    expect(refused?.name).toBe(`chat ${MODEL}`);
    // The guard's own figures, beside the key's.
    const lane = { 'headroom.key': 'prod', 'gen_ai.request.model': MODEL };
    expect(telemetry.sum('headroom.guard.admitted', lane)).toBe(2);
    expect(telemetry.sum('headroom.guard.delayed', lane)).toBe(1);
    expect(
      telemetry.sum('headroom.guard.rejected', { ...lane, 'headroom.guard.reason': 'queue_full' }),
    ).toBe(1);
    expect(telemetry.last('headroom.guard.queue.depth', lane)).toBe(0);
    const waits = telemetry.points('headroom.guard.wait')[0]!.value;
    expect(waits.count).toBe(2);
    expect(waits.min).toBe(0);
    expect(waits.max).toBeGreaterThan(0);
    expect(
      telemetry
        .spans()
        .filter((span) => span.parentSpanContext?.spanId === refused!.spanContext().spanId),
    ).toEqual([]);
  });
});

describe('guard on an @anthropic-ai/sdk client', () => {
  it('a 529 “overloaded” is retried as a server error, not a rate limit: nothing else on the key waits, its part is not cut', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new Anthropic({ apiKey: KEY, baseURL: mock.url }),
      { key: 'prod', guard: { concurrency: 4 } },
    );
    mock.script([{ status: 529, retryAfterMs: 50 }, 200], { key: KEY });
    const answer = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 32,
      messages,
    });
    expect(answer.type).toBe('message');
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 2, rateLimited: 0 });
    const [lane] = telemetry.headroom.telemetry.guard.lanes.values();
    expect(lane!.budget.pausedUntil).toBe(0);
    expect(lane!.budget.part()).toBe(1);
  });

  it('input and output tokens limited apart: each is its own budget, not one TPM the size of the tighter', async () => {
    const clock = manualClock();
    // Long prompts (some 400 input tokens), short answers (15 output tokens): output allows
    // 100 a second, input 10,000. As one TPM of the tighter, each call would fill a second.
    const mock = await open.mock({
      keys: { [KEY]: { itpm: 600_000, otpm: 6_000 } },
      now: clock.now,
    });
    const telemetry = open.telemetry({ guardClock: clock });
    const client = telemetry.headroom.instrument(
      new Anthropic({ apiKey: KEY, baseURL: mock.url }),
      { key: 'prod', guard: true },
    );
    const prompt = [{ role: 'user' as const, content: 'Summarize this. '.repeat(100) }];
    const calls = Array.from({ length: 12 }, () =>
      client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 15, messages: prompt }),
    );
    const requests = async () => (await stats(mock)).keys[KEY]?.requests ?? 0;
    // Two probes one at a time, then the output budget's second: 6 × 15 of its 100.
    await until(async () => (await requests()) === 6, 'the first second’s calls');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await requests()).toBe(6);
    const [lane] = telemetry.headroom.telemetry.guard.lanes.values();
    expect(lane!.budget.effective()).toMatchObject({ itpm: 600_000, otpm: 6_000 });
    expect(lane!.budget.effective().tpm).toBeUndefined();
    await clock.advance(SECOND_WINDOW_MS);
    await until(async () => (await requests()) === 12, 'the second second’s calls');
    const answers = await Promise.all(calls);
    expect(answers).toHaveLength(12);
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 12, rateLimited: 0 });
  });

  it('holds the concurrency, and refuses in Anthropic’s error shape', async () => {
    const mock = await open.mock({ latency: { fixedMs: 100 } });
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new Anthropic({ apiKey: KEY, baseURL: mock.url }),
      { key: 'prod', guard: { concurrency: 2, maxQueue: 2 } },
    );
    const ask = () =>
      client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 32, messages });
    const results = await Promise.allSettled(Array.from({ length: 5 }, ask));
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    const error = (results[4] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.error).toMatchObject({
      type: 'error',
      error: {
        type: 'rate_limit_error',
        message:
          'Headroom guard: queue full for anthropic/claude-sonnet-4-5 on key prod: 2 running, 2 waiting',
      },
    });
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 4, peakConcurrency: 2 });
  });
});

describe('guard on an AzureOpenAI client', () => {
  it('a lane per deployment; the rate inferred from what remains keeps a 10 s window without a 429', async () => {
    const clock = manualClock();
    // Azure states only what remains (of 600 a minute); gpt-4o holds 100 in each 10 s, mini 10
    // in each second.
    const mock = await open.mock({
      deployments: {
        'gpt-4o': { rpm: 600, windowSeconds: 10 },
        mini: { rpm: 600, windowSeconds: 1 },
      },
      now: clock.now,
    });
    const telemetry = open.telemetry({ guardClock: clock });
    const azure = (deployment: string) =>
      telemetry.headroom.instrument(
        new AzureOpenAI({
          endpoint: mock.url,
          apiKey: 'azure-key',
          apiVersion: '2024-10-21',
          deployment,
        }),
        { key: 'prod', guard: true },
      );
    const gpt4o = azure('gpt-4o');
    const mini = azure('mini');
    // Both clients name the same model: the deployment, not the body, is the quota.
    const ask = (client: AzureOpenAI) =>
      client.chat.completions.create({ model: 'gpt-4o', messages });
    const calls = [
      ...Array.from({ length: 120 }, () => ask(gpt4o)),
      ...Array.from({ length: 10 }, () => ask(mini)),
    ];
    const byModel = async () => {
      const models = (await stats(mock)).keys['azure-key']?.models ?? {};
      return [models['gpt-4o']?.requests ?? 0, models.mini?.requests ?? 0];
    };
    // Each lane probes twice one at a time, learns 600 a minute from `remaining` + its own, and
    // keeps to 10 in its window of a second: both at once, neither behind the other.
    await until(async () => (await byModel()).join() === '10,10', 'the first second');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await byModel()).toEqual([10, 10]);
    // 120 on gpt-4o take 12 of the guard's windows: more than one of Azure's 10 s, never more
    // than its 100 in one.
    for (let window = 1; window < 12; window++) {
      await clock.advance(SECOND_WINDOW_MS);
      await until(
        async () => (await byModel())[0] === Math.min(120, 10 * (window + 1)),
        `window ${window}`,
      );
    }
    expect(await Promise.all(calls)).toHaveLength(130);
    expect((await stats(mock)).keys['azure-key']).toMatchObject({ requests: 130, rateLimited: 0 });
    const lanes = [...telemetry.headroom.telemetry.guard.lanes.values()];
    expect(lanes.map((lane) => lane.budget.label).sort()).toEqual([
      'azure.ai.openai/gpt-4o on key prod',
      'azure.ai.openai/mini on key prod',
    ]);
    expect(lanes.map((lane) => lane.budget.learned.rpm)).toEqual([600, 600]);
  });
});

describe('guard on a LangChain ChatOpenAI', () => {
  async function chat(guard: GuardOptions, latencyMs = 0) {
    const mock = await open.mock({ latency: { fixedMs: latencyMs } });
    const telemetry = open.telemetry();
    const model = telemetry.headroom.instrument(
      new ChatOpenAI({
        model: MODEL,
        apiKey: KEY,
        configuration: { baseURL: `${mock.url}/v1` },
        maxRetries: 6,
      }),
      { key: 'prod', guard },
    );
    return { mock, model, telemetry };
  }

  it('holds the concurrency for the model’s calls', async () => {
    const { mock, model } = await chat({ concurrency: 2 }, 100);
    const answers = await Promise.all(Array.from({ length: 6 }, () => model.invoke('Hello')));
    expect(answers).toHaveLength(6);
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 6, peakConcurrency: 2 });
  });

  it('leaves a model it cannot guard (no openai or Anthropic client under it) its own retries', async () => {
    const telemetry = open.telemetry();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    open.add(() => warn.mockRestore());
    const model = telemetry.headroom.instrument(
      new FakeListChatModel({ responses: ['fine'], maxRetries: 4 }),
      { key: 'prod', guard: true },
    ) as FakeListChatModel & { caller: { maxRetries: number } };
    expect(model.caller.maxRetries).toBe(4);
    expect(String(warn.mock.calls[0]?.[0])).toContain('cannot be guarded');
    expect((await model.invoke('hi')).content).toBe('fine');
  });

  it('takes LangChain’s retries over once its client is wrapped, and gives them back at shutdown', async () => {
    const { model: guarded, telemetry } = await chat({});
    const model = guarded as ChatOpenAI & { caller: { maxRetries: number } };
    // ChatOpenAI makes its openai client on first use: until the guard can sit on its
    // attempts, LangChain keeps its own retries.
    expect(model.caller.maxRetries).toBe(6);
    await model.invoke('Hello');
    expect(model.caller.maxRetries).toBe(0);
    await telemetry.shutdown();
    expect(model.caller.maxRetries).toBe(6);
  });

  it('folds LangChain’s 6 retries into its own: 7 attempts in all, not 7 × 7', async () => {
    const { mock, model } = await chat({ concurrency: 1 });
    mock.script(Array(7).fill({ status: 503, retryAfterMs: 1 }), { key: KEY });
    await expect(model.invoke('Hello')).rejects.toThrow(/503/);
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 7 });
  });
});
