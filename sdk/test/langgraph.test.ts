import { createHash } from 'node:crypto';
import {
  Annotation,
  END,
  GraphRecursionError,
  MessagesAnnotation,
  Send,
  START,
  StateGraph,
} from '@langchain/langgraph';
import { ChatOpenAI } from '@langchain/openai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  callAttributes,
  childrenOf,
  countTokens,
  gate,
  onlySpan,
  parentOf,
  resources,
} from './mock.js';

const KEY = 'sk-graph-test';
const FINGERPRINT = `key-${createHash('sha256').update(KEY).digest('hex').slice(0, 8)}`;

const open = resources();
afterEach(() => open.close());

type Telemetry = ReturnType<typeof open.telemetry>;

const histogram = (telemetry: Telemetry, name: string) =>
  telemetry.points(name).map((point) => ({
    attributes: point.attributes,
    count: point.value.count,
    sum: point.value.sum,
    max: point.value.max,
  }));

const idOf = (span: ReadableSpan) => span.spanContext().spanId;

describe('LangGraph Send fan-out', () => {
  it('12 Sends to a model node: 12 executions, 12 in flight, calls nested under their node spans', async () => {
    const mock = await open.mock({ latency: { fixedMs: 20 } });
    const telemetry = open.telemetry();
    // All 12 requests are held until every one has been sent: the 12 nodes overlap for certain.
    const together = gate(12);
    const client = telemetry.headroom.instrument(
      new OpenAI({
        apiKey: KEY,
        baseURL: `${mock.url}/v1`,
        maxRetries: 0,
        fetch: together.fetch,
      }),
    );
    const State = Annotation.Root({
      topics: Annotation<string[]>,
      summaries: Annotation<string[]>({
        reducer: (left, right) => left.concat(right),
        default: () => [],
      }),
    });
    const graph = new StateGraph(State)
      .addNode('summarize', async (state: { topic: string }) => {
        const completion = await client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: `Summarize ${state.topic}` }],
        });
        return { summaries: [completion.choices[0]!.message.content!] };
      })
      .addNode('combine', () => ({}))
      .addConditionalEdges(START, (state) =>
        state.topics.map((topic) => new Send('summarize', { topic })),
      )
      .addEdge('summarize', 'combine')
      .addEdge('combine', END)
      .compile();
    expect(telemetry.headroom.instrument(graph, { name: 'fanout' })).toBe(graph);

    const topics = Array.from({ length: 12 }, (_, index) => `topic ${index}`);
    const result = await graph.invoke({ topics });
    expect(result.summaries).toHaveLength(12);
    await telemetry.collect();

    const summarize = { 'headroom.graph.name': 'fanout', 'headroom.graph.node': 'summarize' };
    const combine = { 'headroom.graph.name': 'fanout', 'headroom.graph.node': 'combine' };
    const points = (name: string) =>
      telemetry.points(name).map((point) => [point.attributes, point.value]);
    expect(points('headroom.graph.node.executions')).toEqual([
      [summarize, 12],
      [combine, 1],
    ]);
    expect(points('headroom.graph.node.active.max')).toEqual([
      [summarize, 12],
      [combine, 1],
    ]);
    expect(points('headroom.graph.node.active')).toEqual([
      [summarize, 0],
      [combine, 0],
    ]);
    const series = callAttributes(mock, { 'headroom.key': FINGERPRINT, ...summarize });
    expect(points('headroom.calls.active.max')).toEqual([[series, 12]]);
    expect(points('headroom.calls')).toEqual([[{ ...series, 'headroom.outcome': 'ok' }, 12]]);
    expect(histogram(telemetry, 'headroom.graph.run.steps')).toEqual([
      {
        attributes: { 'headroom.graph.name': 'fanout', 'headroom.graph.recursion_limit': 25 },
        count: 1,
        sum: 2,
        max: 2,
      },
    ]);
    expect(histogram(telemetry, 'headroom.graph.node.executions_per_run')).toEqual([
      { attributes: summarize, count: 1, sum: 12, max: 12 },
      { attributes: combine, count: 1, sum: 1, max: 1 },
    ]);

    const spans = telemetry.spans();
    const run = onlySpan(spans, 'invoke_agent fanout');
    expect(run.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(run)).toBeUndefined();
    expect(run.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'fanout',
      'headroom.graph.name': 'fanout',
      'headroom.graph.run.steps': 2,
      'headroom.graph.recursion_limit': 25,
    });
    const nodeSpans = spans.filter((span) => span.name === 'node summarize');
    expect(nodeSpans).toHaveLength(12);
    for (const node of nodeSpans) {
      expect(node.kind).toBe(SpanKind.INTERNAL);
      expect(parentOf(node)).toBe(idOf(run));
      expect(node.attributes).toEqual({ ...summarize, 'headroom.graph.step': 1 });
      // Each execution made exactly one model call, nested under it.
      expect(childrenOf(spans, node).map((span) => span.name)).toEqual(['chat gpt-4o-mini']);
    }
    const callSpans = spans.filter((span) => span.name === 'chat gpt-4o-mini');
    expect(callSpans).toHaveLength(12);
    expect(new Set(callSpans.map(parentOf))).toEqual(new Set(nodeSpans.map(idOf)));
    expect(callSpans.every((span) => span.attributes['headroom.graph.node'] === 'summarize')).toBe(
      true,
    );
    expect(parentOf(onlySpan(spans, 'node combine'))).toBe(idOf(run));
  });
});

describe('LangGraph loops', () => {
  function loopGraph(telemetry: Telemetry, baseURL: string) {
    const model = telemetry.headroom.instrument(
      new ChatOpenAI({
        model: 'gpt-4o-mini',
        apiKey: KEY,
        configuration: { baseURL },
        maxRetries: 0,
      }),
    );
    const State = Annotation.Root({
      turns: Annotation<number>({ reducer: (left, right) => left + right, default: () => 0 }),
      stopAt: Annotation<number>,
    });
    const graph = new StateGraph(State)
      .addNode('agent', async () => {
        await model.invoke('One more time');
        return { turns: 1 };
      })
      .addEdge(START, 'agent')
      .addConditionalEdges('agent', (state) => (state.turns < state.stopAt ? 'agent' : END))
      .compile();
    return telemetry.headroom.instrument(graph, { name: 'loop' });
  }

  it('a conditional loop back to the model node shows in executions per run and steps', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const graph = loopGraph(telemetry, `${mock.url}/v1`);

    const result = await graph.invoke({ stopAt: 4 }, { recursionLimit: 10 });
    expect(result.turns).toBe(4);
    await telemetry.collect();

    const agent = { 'headroom.graph.name': 'loop', 'headroom.graph.node': 'agent' };
    expect(histogram(telemetry, 'headroom.graph.node.executions_per_run')).toEqual([
      { attributes: agent, count: 1, sum: 4, max: 4 },
    ]);
    expect(histogram(telemetry, 'headroom.graph.run.steps')).toEqual([
      {
        attributes: { 'headroom.graph.name': 'loop', 'headroom.graph.recursion_limit': 10 },
        count: 1,
        sum: 4,
        max: 4,
      },
    ]);
    expect(telemetry.sum('headroom.graph.node.executions', agent)).toBe(4);
    // The ChatOpenAI calls made in the node are tagged with it and nest under its spans.
    expect(telemetry.sum('headroom.calls', { ...agent, 'headroom.outcome': 'ok' })).toBe(4);
    const spans = telemetry.spans();
    const nodeSpans = spans.filter((span) => span.name === 'node agent');
    expect(nodeSpans.map((span) => span.attributes['headroom.graph.step'])).toEqual([1, 2, 3, 4]);
    const callSpans = spans.filter((span) => span.name === 'chat gpt-4o-mini');
    expect(callSpans.map(parentOf)).toEqual(nodeSpans.map(idOf));
  });

  it('a runaway loop stops at the recursion limit: the run fails, its executions are counted', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const graph = loopGraph(telemetry, `${mock.url}/v1`);

    const error = await graph
      .invoke({ stopAt: 1_000 }, { recursionLimit: 5 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphRecursionError);
    await telemetry.collect();

    const agent = { 'headroom.graph.name': 'loop', 'headroom.graph.node': 'agent' };
    expect(histogram(telemetry, 'headroom.graph.node.executions_per_run')).toEqual([
      { attributes: agent, count: 1, sum: 5, max: 5 },
    ]);
    expect(histogram(telemetry, 'headroom.graph.run.steps')).toEqual([
      {
        attributes: { 'headroom.graph.name': 'loop', 'headroom.graph.recursion_limit': 5 },
        count: 1,
        sum: 5,
        max: 5,
      },
    ]);
    const run = onlySpan(telemetry.spans(), 'invoke_agent loop');
    expect(run.status).toEqual({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    expect(run.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'loop',
      'headroom.graph.name': 'loop',
      'headroom.graph.run.steps': 5,
      'headroom.graph.recursion_limit': 5,
      'error.type': 'GraphRecursionError',
    });
  });
});

describe('LangGraph runs however they are started', () => {
  it('stream() with messages mode and streamEvents() are one run each, tokens counted once, even instrumented twice', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const model = telemetry.headroom.instrument(
      new ChatOpenAI({
        model: 'gpt-4o-mini',
        apiKey: KEY,
        configuration: { baseURL: `${mock.url}/v1` },
        maxRetries: 0,
      }),
    );
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', async (state) => ({ messages: [await model.invoke(state.messages)] }))
      .addEdge(START, 'agent')
      .addEdge('agent', END)
      .compile();
    telemetry.headroom.instrument(graph, { name: 'chat' });
    telemetry.headroom.instrument(graph, { name: 'chat' });
    const input = { messages: [{ role: 'user', content: 'Hello there' }] };

    let chunks = 0;
    for await (const _ of await graph.stream(input, { streamMode: 'messages' })) chunks++;
    expect(chunks).toBeGreaterThan(0);
    let events = 0;
    for await (const _ of graph.streamEvents(input, { version: 'v2' })) events++;
    expect(events).toBeGreaterThan(0);
    await telemetry.collect();

    const usage = countTokens({ messages: [{ content: 'Hello there' }] });
    const agent = { 'headroom.graph.name': 'chat', 'headroom.graph.node': 'agent' };
    expect(telemetry.sum('headroom.graph.node.executions', agent)).toBe(2);
    expect(histogram(telemetry, 'headroom.graph.run.steps')).toEqual([
      {
        attributes: { 'headroom.graph.name': 'chat', 'headroom.graph.recursion_limit': 25 },
        count: 2,
        sum: 2,
        max: 1,
      },
    ]);
    expect(telemetry.sum('headroom.calls', { ...agent, 'headroom.outcome': 'ok' })).toBe(2);
    expect(telemetry.sum('headroom.tokens', { ...agent, 'gen_ai.token.type': 'input' })).toBe(
      usage.inputTokens * 2,
    );
    expect(telemetry.sum('headroom.tokens', { ...agent, 'gen_ai.token.type': 'output' })).toBe(
      usage.outputTokens * 2,
    );
    expect(telemetry.spans().filter((span) => span.name === 'invoke_agent chat')).toHaveLength(2);
    expect(telemetry.spans().filter((span) => span.name === 'node agent')).toHaveLength(2);
  });
});

describe('hand-written graphs: headroom.run() and headroom.node()', () => {
  it('nodes count executions, tag and nest their model calls, and the run counts steps', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const { headroom } = telemetry;
    const client = headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    const research = headroom.node({ graph: 'hand', node: 'research' }, async (topic: string) => {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: topic }],
      });
      return completion.choices[0]!.message.content;
    });
    const write = headroom.node({ graph: 'hand', node: 'write' }, (notes: string[]) =>
      notes.join('\n'),
    );

    const promise = headroom.run({ graph: 'hand', recursionLimit: 20 }, async () => {
      const notes = await Promise.all([research('a'), research('b'), research('c')]);
      return write(notes as string[]);
    });
    const text = await promise;
    expect(text.split('\n')).toHaveLength(3);
    await telemetry.collect();

    const researchNode = { 'headroom.graph.name': 'hand', 'headroom.graph.node': 'research' };
    const writeNode = { 'headroom.graph.name': 'hand', 'headroom.graph.node': 'write' };
    expect(
      telemetry
        .points('headroom.graph.node.executions')
        .map((point) => [point.attributes, point.value]),
    ).toEqual([
      [researchNode, 3],
      [writeNode, 1],
    ]);
    expect(telemetry.max('headroom.graph.node.active.max', researchNode)).toBe(3);
    // No superstep numbers in hand-written graphs: each execution is one step.
    expect(histogram(telemetry, 'headroom.graph.run.steps')).toEqual([
      {
        attributes: { 'headroom.graph.name': 'hand', 'headroom.graph.recursion_limit': 20 },
        count: 1,
        sum: 4,
        max: 4,
      },
    ]);
    expect(histogram(telemetry, 'headroom.graph.node.executions_per_run')).toEqual([
      { attributes: researchNode, count: 1, sum: 3, max: 3 },
      { attributes: writeNode, count: 1, sum: 1, max: 1 },
    ]);
    const series = callAttributes(mock, { 'headroom.key': FINGERPRINT, ...researchNode });
    expect(telemetry.sum('headroom.calls', { ...series, 'headroom.outcome': 'ok' })).toBe(3);
    expect(telemetry.max('headroom.calls.active.max', series)).toBe(3);

    const spans = telemetry.spans();
    const run = onlySpan(spans, 'invoke_agent hand');
    const researchSpans = spans.filter((span) => span.name === 'node research');
    expect(researchSpans.map(parentOf)).toEqual([idOf(run), idOf(run), idOf(run)]);
    expect(researchSpans[0]!.attributes).toEqual(researchNode);
    const callSpans = spans.filter((span) => span.name === 'chat gpt-4o-mini');
    expect(new Set(callSpans.map(parentOf))).toEqual(new Set(researchSpans.map(idOf)));
    expect(parentOf(onlySpan(spans, 'node write'))).toBe(idOf(run));
  });

  it('a node outside any run still counts, and a failing node marks its span and rethrows', async () => {
    const telemetry = open.telemetry();
    const failure = new RangeError('no such page');
    const fetchPage = telemetry.headroom.node({ graph: 'hand', node: 'fetch' }, async () => {
      throw failure;
    });
    await expect(fetchPage()).rejects.toBe(failure);
    await telemetry.collect();

    expect(telemetry.sum('headroom.graph.node.executions')).toBe(1);
    expect(telemetry.sum('headroom.graph.node.active')).toBe(0);
    const node = onlySpan(telemetry.spans(), 'node fetch');
    expect(parentOf(node)).toBeUndefined();
    expect(node.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no such page' });
    expect(node.attributes['error.type']).toBe('RangeError');
    // No run: no steps.
    expect(telemetry.points('headroom.graph.run.steps')).toEqual([]);
  });

  it('run() and node() return what the function returned, the same promise object', async () => {
    const telemetry = open.telemetry();
    const promise = Promise.resolve(42);
    expect(telemetry.headroom.run({ graph: 'g' }, () => promise)).toBe(promise);
    const node = telemetry.headroom.node({ graph: 'g', node: 'n' }, () => promise);
    expect(node()).toBe(promise);
    expect(telemetry.headroom.node({ graph: 'g', node: 'sync' }, (x: number) => x * 2)(21)).toBe(
      42,
    );
    await promise;
  });
});
