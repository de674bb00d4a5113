import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { conventionsFromEnv } from '../src/internal/conventions.js';
import { resources, stats } from './mock.js';

const open = resources();
afterEach(() => open.close());

const MODEL = 'gpt-4o-mini';
const messages = [{ role: 'user' as const, content: 'Hello there' }];

async function run(semconvStabilityOptIn: string | undefined) {
  const mock = await open.mock();
  const telemetry = open.telemetry({ semconvStabilityOptIn });
  const client = telemetry.headroom.instrument(
    new OpenAI({ apiKey: 'sk-semconv', baseURL: `${mock.url}/v1`, maxRetries: 0 }),
  );
  const node = telemetry.headroom.node({ graph: 'agent', node: 'model' }, () =>
    client.chat.completions.create({ model: MODEL, messages }),
  );
  await telemetry.headroom.run({ graph: 'agent' }, async () => {
    await node();
    await node();
  });
  await telemetry.collect();
  const names = new Set(telemetry.points().map((point) => point.name));
  return { telemetry, names, truth: await stats(mock) };
}

describe('GenAI semantic conventions', () => {
  it('the released names by default', async () => {
    const { telemetry, names, truth } = await run(undefined);
    expect(names).toContain('gen_ai.client.operation.duration');
    expect(names).toContain('gen_ai.client.token.usage');
    for (const name of names) expect(name).not.toMatch(/^gen_ai\.(client\.inference|workflow)/);
    expect(telemetry.sum('gen_ai.client.token.usage')).toBe(truth.totals.tokens.total);
    expect(telemetry.spans().map((span) => span.name)).toContain('invoke_agent agent');
  });

  it('gen_ai_latest_experimental: the current experimental names, and not the old ones', async () => {
    const { telemetry, names, truth } = await run('http, gen_ai_latest_experimental');
    expect(names).not.toContain('gen_ai.client.operation.duration');
    expect(names).not.toContain('gen_ai.client.token.usage');
    expect(telemetry.sum('gen_ai.client.inference.duration')).toBeGreaterThan(0);
    expect(telemetry.points('gen_ai.client.inference.duration').map((p) => p.value.count)).toEqual([
      2,
    ]);
    // Usage counters by modality; the provider tells none, so `unknown`.
    const input = telemetry.points('gen_ai.client.inference.usage.input_tokens');
    expect(input.map((point) => point.attributes['gen_ai.token.modality'])).toEqual(['unknown']);
    expect(
      telemetry.sum('gen_ai.client.inference.usage.input_tokens') +
        telemetry.sum('gen_ai.client.inference.usage.output_tokens'),
    ).toBe(truth.totals.tokens.total);
    expect(telemetry.sum('gen_ai.client.inference.usage.input_tokens')).toBe(
      truth.totals.tokens.input,
    );
    // Per-operation distributions: one point per call, no modality and no token type.
    const perOperation = telemetry.points('gen_ai.client.inference.operation.output_tokens');
    expect(perOperation.map((point) => point.value.count)).toEqual([2]);
    expect(perOperation[0]!.attributes['gen_ai.token.modality']).toBeUndefined();
    expect(perOperation[0]!.attributes['gen_ai.token.type']).toBeUndefined();
    // A graph run is a workflow.
    const workflow = telemetry.points('gen_ai.workflow.duration');
    expect(workflow.map((point) => [point.attributes, point.value.count])).toEqual([
      [{ 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.workflow.name': 'agent' }, 1],
    ]);
    const runSpan = telemetry.spans().find((span) => span.name === 'invoke_workflow agent');
    expect(runSpan?.attributes['gen_ai.workflow.name']).toBe('agent');
    // Headroom's own names are the same in both.
    expect(telemetry.sum('headroom.requests')).toBe(truth.totals.requests);
  });

  it('reads OTEL_SEMCONV_STABILITY_OPT_IN as a comma-separated list', () => {
    expect(conventionsFromEnv(undefined)).toBe('released');
    expect(conventionsFromEnv('')).toBe('released');
    expect(conventionsFromEnv('http/dup')).toBe('released');
    expect(conventionsFromEnv(' database , GEN_AI_LATEST_EXPERIMENTAL ')).toBe(
      'latest_experimental',
    );
  });
});
