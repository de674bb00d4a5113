import {
  type MockProvider,
  type StartMockProviderOptions,
  startMockProvider,
} from '@headroom/mock-provider';
import { createTestTelemetry, type TestTelemetry } from '@headroom/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from './run.js';

const TOPICS = ['retries', 'fan-out', 'loops', 'batches', 'replicas'];
const research = { 'headroom.graph.name': 'research-agent', 'headroom.graph.node': 'research' };
/** `SpanStatusCode.ERROR` of `@opentelemetry/api`, which this package does not depend on. */
const SPAN_STATUS_ERROR = 2;
const write = { 'headroom.graph.name': 'research-agent', 'headroom.graph.node': 'write' };

let mock: MockProvider | undefined;
let telemetry: TestTelemetry | undefined;

afterEach(async () => {
  await telemetry?.shutdown();
  await mock?.close();
  telemetry = undefined;
  mock = undefined;
});

async function setUp(options: StartMockProviderOptions = {}) {
  mock = await startMockProvider({ port: 0, ...options });
  telemetry = createTestTelemetry();
  return { mock, telemetry, baseURL: `${mock.url}/v1`, headroom: telemetry.headroom };
}

/** A histogram's points as `{ attributes, count, sum, max }`. */
function histogram(telemetry: TestTelemetry, name: string) {
  return telemetry.points(name).map((point) => ({
    attributes: point.attributes,
    count: point.value.count,
    sum: point.value.sum,
    max: point.value.max,
  }));
}

describe('research agent', () => {
  it('a Send fan-out of 5 topics: 5 executions of `research`, all 5 model calls in flight at once', async () => {
    // 100 ms per reply: the five calls, sent in the same superstep, are all still waiting when
    // the last one starts.
    const { mock, telemetry, baseURL, headroom } = await setUp({ latency: { fixedMs: 100 } });

    const summary = await run({ baseURL, headroom, topics: TOPICS, hardStop: true });
    await telemetry.collect();

    expect(summary.executions).toEqual({ plan: 1, research: 5, write: 4 });
    expect(telemetry.sum('headroom.graph.node.executions', research)).toBe(5);
    expect(telemetry.max('headroom.graph.node.active.max', research)).toBe(5);
    expect(
      telemetry.max('headroom.calls.active.max', { ...research, 'headroom.key': 'agent' }),
    ).toBe(5);
    expect(telemetry.sum('headroom.calls', { ...research, 'headroom.outcome': 'ok' })).toBe(5);
    // Each execution's model call nests under that execution's span.
    const spans = telemetry.spans();
    const nodeSpans = spans.filter((span) => span.name === 'node research');
    const callParents = spans
      .filter(
        (span) =>
          span.name === 'chat gpt-4o-mini' && span.attributes['headroom.graph.node'] === 'research',
      )
      .map((span) => span.parentSpanContext?.spanId);
    expect(new Set(callParents)).toEqual(
      new Set(nodeSpans.map((span) => span.spanContext().spanId)),
    );
    expect(callParents).toHaveLength(5);
    // plan + 5 research + 4 drafts, and the provider saw exactly those.
    expect(summary).toMatchObject({
      calls: 10,
      succeeded: 10,
      failed: 0,
      attempts: 10,
      rateLimited: 0,
    });
    expect(mock.stats().totals.admitted).toBe(10);
  });

  it('with the hard stop, `write` runs maxRevisions + 1 times and the run ends by itself', async () => {
    const { telemetry, baseURL, headroom } = await setUp();

    const summary = await run({
      baseURL,
      headroom,
      topics: TOPICS,
      hardStop: true,
      maxRevisions: 3,
    });
    await telemetry.collect();

    expect(summary.stoppedBy).toBe('hard stop');
    expect(
      histogram(telemetry, 'headroom.graph.node.executions_per_run').find(
        (point) => point.attributes['headroom.graph.node'] === 'write',
      ),
    ).toEqual({
      attributes: write,
      count: 1,
      sum: 4,
      max: 4,
    });
    // Supersteps: plan, research (the whole fan-out is one step), then one per draft.
    expect(histogram(telemetry, 'headroom.graph.run.steps')).toEqual([
      {
        attributes: {
          'headroom.graph.name': 'research-agent',
          'headroom.graph.recursion_limit': 25,
        },
        count: 1,
        sum: 2 + 4,
        max: 2 + 4,
      },
    ]);
  });

  it('without it, `write` loops until the recursion limit: GraphRecursionError after limit − 2 drafts', async () => {
    const { telemetry, baseURL, headroom } = await setUp();
    const recursionLimit = 12;

    const summary = await run({
      baseURL,
      headroom,
      topics: TOPICS,
      hardStop: false,
      recursionLimit,
    });
    await telemetry.collect();

    expect(summary.stoppedBy).toBe('recursion limit');
    // `plan` and `research` take the first two supersteps; `write` gets every one left.
    const drafts = recursionLimit - 2;
    expect(summary.executions).toEqual({ plan: 1, research: 5, write: drafts });
    expect(telemetry.max('headroom.graph.node.executions_per_run', write)).toBe(drafts);
    expect(histogram(telemetry, 'headroom.graph.run.steps')).toEqual([
      {
        attributes: {
          'headroom.graph.name': 'research-agent',
          'headroom.graph.recursion_limit': recursionLimit,
        },
        count: 1,
        sum: recursionLimit,
        max: recursionLimit,
      },
    ]);
    const runSpan = telemetry.spans().find((span) => span.name === 'invoke_agent research-agent');
    expect(runSpan?.status.code).toBe(SPAN_STATUS_ERROR);
    expect(runSpan?.attributes['error.type']).toBe('GraphRecursionError');
    expect(summary.calls).toBe(1 + TOPICS.length + drafts);
  });

  it('the 429s the client retried behind the code: the run, Headroom and the provider agree on them', async () => {
    // Three at once per key: the fan-out of five is refused twice on its first try, at least.
    const { mock, telemetry, baseURL, headroom } = await setUp({
      defaultLimits: { concurrency: 3 },
      latency: { fixedMs: 50 },
    });

    const summary = await run({ baseURL, headroom, topics: TOPICS, hardStop: true });
    await telemetry.collect();

    const provider = mock.stats().keys['sk-example-agent'];
    expect(summary.rateLimited).toBeGreaterThanOrEqual(2);
    expect(summary.rateLimited).toBe(provider?.rateLimited);
    expect(summary.attempts).toBe(provider?.requests);
    expect(telemetry.sum('headroom.requests', { 'headroom.outcome': 'rate_limited' })).toBe(
      summary.rateLimited,
    );
    expect(telemetry.sum('headroom.requests')).toBe(summary.attempts);
    expect(telemetry.sum('headroom.calls')).toBe(summary.calls);
  });
});
