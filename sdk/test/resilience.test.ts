import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { init } from '../src/index.js';
import { resetFaults } from '../src/internal/fault.js';
import { closedPort, countTokens, resources } from './mock.js';

const KEY = 'sk-resilience';
const messages = [{ role: 'user' as const, content: 'Hello there' }];
const usage = countTokens({ messages });

const open = resources();
afterEach(() => open.close());

/** Records every unhandled rejection while a test runs; removed again by `open.close()`. */
function watchUnhandledRejections(): unknown[] {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  open.add(() => process.off('unhandledRejection', listener));
  return seen;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.add(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** A collector that takes the request and answers it badly; records which paths were hit. */
async function badCollector(answer: 'status 500' | 'garbage bytes') {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    request.resume();
    request.on('end', () => {
      if (answer === 'status 500') {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('collector on fire');
      } else {
        // Not HTTP at all: the exporter's HTTP parser must cope.
        request.socket.end(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a]));
      }
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, paths };
}

describe('a collector that is down or broken never reaches the app', () => {
  it('collector unreachable: calls succeed, nothing throws, no unhandled rejection, shutdown resolves, each fault said once', async () => {
    const rejections = watchUnhandledRejections();
    resetFaults();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    open.add(() => warn.mockRestore());
    const mock = await open.mock({ latency: { fixedMs: 30 } });
    const headroom = init({
      serviceName: 'resilience',
      collectorUrl: `http://127.0.0.1:${await closedPort()}`,
      exportIntervalMillis: 50,
    });
    open.add(() => headroom.shutdown());
    const client = headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );

    // Sequential calls of 30 ms each: several 50 ms export intervals pass while they run.
    for (let index = 0; index < 6; index++) {
      const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
      expect(completion.usage?.total_tokens).toBe(usage.totalTokens);
    }
    await expect(headroom.forceFlush()).resolves.toBeUndefined();
    await expect(headroom.shutdown()).resolves.toBeUndefined();
    expect(mock.stats().totals.admitted).toBe(6);
    expect(rejections).toEqual([]);
    // Many exports failed; each kind is said once, in one line: metrics, spans, and the flush.
    // Which failure comes first depends on the machine's pace: the refused connection, or, when
    // failing exports (each retried by the exporter) pile up, the exporter's own limit on them.
    const lines = warn.mock.calls.map((call) => String(call[0])).sort();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\[headroom\] export metrics to http:\/\/127\.0\.0\.1:\d+: (connect ECONNREFUSED .+|Concurrent export limit reached) \(further faults here are not logged\)$/,
    );
    expect(lines[1]).toMatch(
      /^\[headroom\] export spans to http:\/\/127\.0\.0\.1:\d+: (connect ECONNREFUSED .+|Concurrent export limit reached) \(further faults here are not logged\)$/,
    );
    expect(lines[2]).toMatch(
      /^\[headroom\] flush: .*(ECONNREFUSED|Concurrent export limit reached).* \(further faults here are not logged\)$/,
    );
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
  });

  it.each(['status 500', 'garbage bytes'] as const)(
    'collector answering %s: calls succeed and are still counted, shutdown resolves',
    async (answer) => {
      const rejections = watchUnhandledRejections();
      const collector = await badCollector(answer);
      const mock = await open.mock({ latency: { fixedMs: 30 } });
      const telemetry = open.telemetry({ collectorUrl: collector.url, exportIntervalMillis: 50 });
      const client = telemetry.headroom.instrument(
        new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
      );

      const completions = [];
      for (let index = 0; index < 6; index++) {
        completions.push(await client.chat.completions.create({ model: 'gpt-4o-mini', messages }));
      }
      expect(completions).toHaveLength(6);
      await expect(telemetry.collect()).resolves.toBeUndefined();
      // The exports did go to the broken collector, and failed there.
      expect(collector.paths).toContain('/v1/metrics');
      expect(collector.paths).toContain('/v1/traces');
      // The in-memory exporter beside it still got everything.
      expect(telemetry.sum('headroom.calls', { 'headroom.outcome': 'ok' })).toBe(6);
      expect(telemetry.sum('headroom.tokens')).toBe(usage.totalTokens * 6);
      await expect(telemetry.shutdown()).resolves.toBeUndefined();
      expect(rejections).toEqual([]);
    },
  );
});

describe('hooks and faults never break a call', () => {
  beforeEach(() => resetFaults());

  it('an onCallEnd hook that throws: the call returns normally, the fault is logged once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    open.add(() => warn.mockRestore());
    const mock = await open.mock();
    let hookCalls = 0;
    const telemetry = open.telemetry({
      hooks: {
        onCallEnd() {
          hookCalls++;
          throw new Error('hook exploded');
        },
      },
    });
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );

    for (let index = 0; index < 3; index++) {
      const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
      expect(completion.choices[0]?.finish_reason).toBe('stop');
    }
    expect(hookCalls).toBe(3);
    expect(warn.mock.calls).toEqual([
      ['[headroom] hook onCallEnd: hook exploded (further faults here are not logged)'],
    ]);
    await telemetry.collect();
    expect(telemetry.sum('headroom.calls', { 'headroom.outcome': 'ok' })).toBe(3);
    expect(telemetry.sum('headroom.calls.active')).toBe(0);
  });

  it('onCallEnd receives the call as it ended', async () => {
    const mock = await open.mock();
    const events: unknown[] = [];
    const telemetry = open.telemetry({ hooks: { onCallEnd: (event) => events.push(event) } });
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 1 }),
      { key: 'main' },
    );
    mock.script([429, 200], { key: KEY });

    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });

    expect(events).toEqual([
      {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'headroom.key': 'main',
          'server.address': '127.0.0.1',
        },
        outcome: 'ok',
        errorType: undefined,
        attempts: 2,
        durationSeconds: expect.any(Number),
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
      },
    ]);
    expect((events[0] as { durationSeconds: number }).durationSeconds).toBeGreaterThan(0);
  });

  it('instrument() of something it does not know returns it untouched and warns once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    open.add(() => warn.mockRestore());
    const telemetry = open.telemetry();
    const thing = { chat: 'not a client' };
    expect(telemetry.headroom.instrument(thing)).toBe(thing);
    expect(telemetry.headroom.instrument(42)).toBe(42);
    expect(thing).toEqual({ chat: 'not a client' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^\[headroom\] instrument: not an openai/);
  });
});

describe('the app keeps its own async context and its clients keep working', () => {
  it("an app's AsyncLocalStorage value survives instrumented calls, graph nodes and tracked calls", async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const { headroom } = telemetry;
    const client = headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    const requestId = new AsyncLocalStorage<string>();

    const seen = await requestId.run('req-7', async () => {
      const values: Array<string | undefined> = [];
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
      values.push(requestId.getStore());
      const node = headroom.node({ graph: 'g', node: 'n' }, async () => {
        await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
        return requestId.getStore();
      });
      values.push(await headroom.run({ graph: 'g' }, () => node()));
      values.push(
        await headroom.trackCall({ provider: 'custom', model: 'm' }, async () => {
          await Promise.resolve();
          return requestId.getStore();
        }),
      );
      values.push(await headroom.withTenant('acme', async () => requestId.getStore()));
      return values;
    });
    expect(seen).toEqual(['req-7', 'req-7', 'req-7', 'req-7']);
  });

  it('after shutdown the clients still work and nothing more is recorded', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await telemetry.collect();
    expect(telemetry.sum('headroom.calls')).toBe(1);

    await expect(telemetry.shutdown()).resolves.toBeUndefined();
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
    const spansBefore = telemetry.spans().length;
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.usage?.total_tokens).toBe(usage.totalTokens);
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
    });
    for await (const _ of stream) {
    }
    expect(telemetry.spans()).toHaveLength(spansBefore);
    expect(mock.stats().totals.admitted).toBe(3);
  });
});
