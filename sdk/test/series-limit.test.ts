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
    expect(warnings).toEqual([
      expect.stringMatching(/^\[headroom\] series limit: more than 2000 model-call series/),
    ]);
  });
});
