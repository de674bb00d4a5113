import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChatOpenAI } from '@langchain/openai';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { callAttributes, gate, resources, stats } from './mock.js';

// `headroom.retries` by `headroom.retry.layer`: who retried, counted with the real clients
// against the mock provider. The app layer is the one no client can see: the app asking again.
const KEY = 'sk-retry-layers';
const FINGERPRINT = `key-${createHash('sha256').update(KEY).digest('hex').slice(0, 8)}`;
const MODEL = 'gpt-4o-mini';
const ask = (content: string) => ({
  model: MODEL,
  messages: [{ role: 'user' as const, content }],
});

const open = resources();
afterEach(() => open.close());

function retriesOf(telemetry: {
  points(name: string): Array<{ attributes: Record<string, unknown>; value: any }>;
}) {
  return Object.fromEntries(
    telemetry
      .points('headroom.retries')
      .map((point) => [point.attributes['headroom.retry.layer'], point.value]),
  );
}

describe('headroom.retries by layer', () => {
  it("the client's own resends are the client layer: 429, 429, 200 is two", async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 2 }),
    );
    mock.script([429, 429, 200], { key: KEY });
    await client.chat.completions.create(ask('Hello'));
    await telemetry.collect();
    expect(retriesOf(telemetry)).toEqual({ client: 2 });
    const [point] = telemetry.points('headroom.retries');
    expect(point!.attributes).toEqual({
      ...callAttributes(mock, { 'headroom.key': FINGERPRINT }),
      'headroom.retry.layer': 'client',
    });
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 3, rateLimited: 2 });
  });

  it('a healthy client reports no retries at all', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 2 }),
    );
    for (let index = 0; index < 3; index++) await client.chat.completions.create(ask('Hello'));
    await telemetry.collect();
    expect(telemetry.points('headroom.retries')).toEqual([]);
  });

  it("LangChain's retries are the framework layer: each is the client asked again", async () => {
    // LangChain's p-retry waits at least 1 s before its retry; nothing shortens it.
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const model = telemetry.headroom.instrument(
      new ChatOpenAI({
        model: MODEL,
        apiKey: KEY,
        configuration: { baseURL: `${mock.url}/v1` },
        maxRetries: 1,
      }),
    );
    mock.script([429, 200], { key: KEY });
    await model.invoke('Hello');
    await telemetry.collect();
    expect(retriesOf(telemetry)).toEqual({ framework: 1 });
    expect((await stats(mock)).keys[KEY]).toMatchObject({ requests: 2, rateLimited: 1 });
  });

  it('the app asking again after a failure is the app layer; a different question is not', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    mock.script([429], { key: KEY });
    await expect(client.chat.completions.create(ask('Hello'))).rejects.toMatchObject({
      status: 429,
    });
    await client.chat.completions.create(ask('Something else'));
    await client.chat.completions.create(ask('Hello'));
    await telemetry.collect();
    expect(retriesOf(telemetry)).toEqual({ app: 1 });
  });

  it('LangChain asked again by the app after it gave up is the app layer too', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const model = telemetry.headroom.instrument(
      new ChatOpenAI({
        model: MODEL,
        apiKey: KEY,
        configuration: { baseURL: `${mock.url}/v1` },
        maxRetries: 0,
      }),
    );
    mock.script([429], { key: KEY });
    await expect(model.invoke('Hello')).rejects.toMatchObject({ status: 429 });
    await model.invoke('Hello');
    await telemetry.collect();
    expect(retriesOf(telemetry)).toEqual({ app: 1 });
  });

  it('an app that stops waiting and asks again while its first attempt still runs: app layer', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    // Every request is held at the client's fetch until the test lets them go: the first call
    // is in flight for as long as the test says, not for as long as the machine takes.
    const held = gate(2, { hold: true });
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0, fetch: held.fetch }),
    );
    const first = client.chat.completions.create(ask('Hello'));
    // The app's own timeout gives up on `first` (it never aborts it) and asks again.
    await sleep(1100);
    const again = client.chat.completions.create(ask('Hello'));
    await held.reached;
    held.open();
    await Promise.all([first, again]);
    await telemetry.collect();
    expect(retriesOf(telemetry)).toEqual({ app: 1 });
  });

  it('the same question asked many times at once is a fan-out, not retries', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const held = gate(8);
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0, fetch: held.fetch }),
    );
    await Promise.all(
      Array.from({ length: 8 }, () => client.chat.completions.create(ask('Hello'))),
    );
    await telemetry.collect();
    expect(telemetry.points('headroom.retries')).toEqual([]);
  });
});
