import { afterEach, describe, expect, it } from 'vitest';
import { resetFaults } from '../src/internal/fault.js';
import { SERIES_LIMIT } from '../src/internal/series.js';
import { resources } from './mock.js';

const open = resources();
afterEach(() => open.close());

describe('series limit', () => {
  it('folds attribute sets past the limit into one overflow series, so memory stays bounded', async () => {
    resetFaults();
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    open.add(() => {
      console.warn = warn;
    });
    const telemetry = open.telemetry();
    const extra = 25;
    for (let index = 0; index < SERIES_LIMIT + extra; index++) {
      await telemetry.headroom.trackCall(
        { provider: 'custom', model: `model-${index}`, key: 'k' },
        async (call) => {
          call.usage({ inputTokens: 2 });
        },
      );
    }
    await telemetry.collect();
    const calls = telemetry.points('headroom.calls');
    expect(calls).toHaveLength(SERIES_LIMIT + 1);
    expect(telemetry.sum('headroom.calls', { 'otel.metric.overflow': true })).toBe(extra);
    expect(telemetry.sum('headroom.calls')).toBe(SERIES_LIMIT + extra);
    expect(telemetry.sum('headroom.tokens')).toBe(2 * (SERIES_LIMIT + extra));
    // The spans of calls past the limit keep their own names and attributes: only metrics fold.
    const spans = telemetry.spans();
    expect(spans).toHaveLength(SERIES_LIMIT + extra);
    const last = spans.find((span) => span.name === `chat model-${SERIES_LIMIT + extra - 1}`);
    expect(last?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'custom',
      'gen_ai.request.model': `model-${SERIES_LIMIT + extra - 1}`,
      'headroom.key': 'k',
      'gen_ai.usage.input_tokens': 2,
    });
    expect(spans.some((span) => span.attributes['otel.metric.overflow'] !== undefined)).toBe(false);
    expect(spans.some((span) => span.name.includes('undefined'))).toBe(false);
    expect(warnings).toEqual([
      expect.stringMatching(/^\[headroom\] series limit: more than 2000 model-call series/),
    ]);
  });
});
