import { createHash } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { ChatOpenAI } from '@langchain/openai';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestTelemetry } from '../src/testing/index.js';
import { resources } from './mock.js';

// Distinctive, so that any place it leaks to can be found by plain text search.
const RAW_KEY = 'sk-live-RAWSECRET-0123456789abcdef';
const FINGERPRINT = `key-${createHash('sha256').update(RAW_KEY).digest('hex').slice(0, 8)}`;
const PROMPT = 'PROMPT-MARKER please keep this private';
const messages = [{ role: 'user' as const, content: PROMPT }];

const open = resources();
afterEach(() => open.close());

/** Every text Headroom exported: span names, attributes, events, status, resources; metric attributes. */
function everythingExported(telemetry: TestTelemetry): string[] {
  const texts: string[] = [];
  for (const span of telemetry.spans()) {
    texts.push(
      span.name,
      JSON.stringify(span.attributes),
      JSON.stringify(span.events),
      JSON.stringify(span.status),
      JSON.stringify(span.resource.attributes),
    );
  }
  for (const resourceMetrics of telemetry.metricExporter.getMetrics()) {
    texts.push(JSON.stringify(resourceMetrics.resource.attributes));
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        texts.push(metric.descriptor.name);
        for (const point of metric.dataPoints) texts.push(JSON.stringify(point.attributes));
      }
    }
  }
  return texts;
}

describe('the API key never leaves the process', () => {
  it('headroom.key is a short fingerprint; the raw key is in no span and no metric', async () => {
    const mock = await open.mock({ keys: { [RAW_KEY]: { rpm: 600, tpm: 100_000 } } });
    const telemetry = open.telemetry();
    const { headroom } = telemetry;
    const openai = headroom.instrument(
      new OpenAI({ apiKey: RAW_KEY, baseURL: `${mock.url}/v1`, maxRetries: 1 }),
    );
    const anthropic = headroom.instrument(
      new Anthropic({ apiKey: RAW_KEY, baseURL: mock.url, maxRetries: 0 }),
    );
    const chat = headroom.instrument(
      new ChatOpenAI({
        model: 'gpt-4o-mini',
        apiKey: RAW_KEY,
        configuration: { baseURL: `${mock.url}/v1` },
        maxRetries: 0,
      }),
    );

    mock.script([429, 200], { key: RAW_KEY });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
    mock.script([401], { key: RAW_KEY });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }).catch(() => {});
    await anthropic.messages.create({ model: 'claude-x', max_tokens: 32, messages });
    await chat.invoke(PROMPT);
    await headroom.trackCall({ provider: 'custom', model: 'm', apiKey: RAW_KEY }, async () => {});
    await telemetry.collect();

    expect(FINGERPRINT).toMatch(/^key-[0-9a-f]{8}$/);
    const keys = new Set(telemetry.points().map((point) => point.attributes['headroom.key']));
    keys.delete(undefined);
    expect([...keys]).toEqual([FINGERPRINT]);
    const texts = everythingExported(telemetry);
    expect(texts.length).toBeGreaterThan(50);
    expect(texts.filter((text) => text.includes(RAW_KEY))).toEqual([]);
    expect(texts.filter((text) => text.includes('RAWSECRET'))).toEqual([]);
  });

  it("instrument(client, { key: 'prod' }) names the key; the fingerprint is not used", async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: RAW_KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
      { key: 'prod' },
    );
    const chat = telemetry.headroom.instrument(
      new ChatOpenAI({
        model: 'gpt-4o-mini',
        apiKey: RAW_KEY,
        configuration: { baseURL: `${mock.url}/v1` },
        maxRetries: 0,
      }),
      { key: 'prod' },
    );
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await chat.invoke(PROMPT);
    await telemetry.collect();

    const keys = new Set(telemetry.points().map((point) => point.attributes['headroom.key']));
    keys.delete(undefined);
    expect([...keys]).toEqual(['prod']);
    expect(everythingExported(telemetry).filter((text) => text.includes(FINGERPRINT))).toEqual([]);
  });
});

describe('prompts and completions', () => {
  it('are not on any span by default', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: RAW_KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const reply = completion.choices[0]!.message.content!;
    await telemetry.collect();

    const call = telemetry.spans().find((span) => span.name === 'chat gpt-4o-mini')!;
    expect(call.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(call.attributes['gen_ai.output.messages']).toBeUndefined();
    const texts = everythingExported(telemetry);
    expect(texts.filter((text) => text.includes('PROMPT-MARKER'))).toEqual([]);
    expect(texts.filter((text) => text.includes(reply))).toEqual([]);
  });

  it('are on the call span with captureContent: true', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry({ captureContent: true });
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: RAW_KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await telemetry.collect();

    const call = telemetry.spans().find((span) => span.name === 'chat gpt-4o-mini')!;
    expect(call.attributes['gen_ai.input.messages']).toBe(JSON.stringify(messages));
    expect(call.attributes['gen_ai.output.messages']).toBe(
      JSON.stringify([completion.choices[0]!.message]),
    );
    // Content goes on spans only, never into metric attributes.
    const metricTexts = telemetry.points().map((point) => JSON.stringify(point.attributes));
    expect(metricTexts.filter((text) => text.includes('PROMPT-MARKER'))).toEqual([]);
  });

  it('are captured when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true, unless told otherwise', async () => {
    const mock = await open.mock();
    const previous = process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
    process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = 'TRUE';
    open.add(() => {
      if (previous === undefined)
        delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
      else process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = previous;
    });

    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: RAW_KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await telemetry.collect();
    const call = telemetry.spans().find((span) => span.name === 'chat gpt-4o-mini')!;
    expect(call.attributes['gen_ai.input.messages']).toBe(JSON.stringify(messages));
    await telemetry.shutdown();

    // The option wins over the environment.
    const quiet = open.telemetry({ captureContent: false });
    const quietClient = quiet.headroom.instrument(
      new OpenAI({ apiKey: RAW_KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    await quietClient.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await quiet.collect();
    const quietCall = quiet.spans().find((span) => span.name === 'chat gpt-4o-mini')!;
    expect(quietCall.attributes['gen_ai.input.messages']).toBeUndefined();
  });
});
