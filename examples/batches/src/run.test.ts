import { type MockProvider, startMockProvider } from '@headroom/mock-provider';
import { createTestTelemetry, type TestTelemetry } from '@headroom/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from './run.js';

let mock: MockProvider;
let telemetry: TestTelemetry;

afterEach(async () => {
  await telemetry?.shutdown();
  await mock?.close();
});

describe('batches', () => {
  it('sends each batch of 50 as one burst, which the per-second quota refuses', async () => {
    mock = await startMockProvider({
      port: 0,
      keys: { 'sk-example-batches': { rpm: 600, tpm: 60_000 } },
      latency: { fixedMs: 20 },
    });
    telemetry = createTestTelemetry();

    // 2 batches rather than 10: each one takes about 2 s of the SDK's retries.
    const summary = await run({
      baseURL: `${mock.url}/v1`,
      headroom: telemetry.headroom,
      documents: 100,
    });
    await telemetry.collect();

    const stats = mock.stats().keys['sk-example-batches']!;
    // A whole batch in flight at once, and never two batches: they run back to back.
    expect(telemetry.max('headroom.calls.active.max', { 'headroom.key': 'batches' })).toBe(50);
    // 600 RPM admits 10 requests per clock second. A batch's 50 first attempts leave within a
    // few milliseconds, which at most two clock seconds hold: at least 30 of each are refused.
    expect(stats.rateLimited).toBeGreaterThanOrEqual(60);
    expect(telemetry.sum('headroom.requests', { 'headroom.outcome': 'rate_limited' })).toBe(
      stats.rateLimited,
    );
    expect(telemetry.sum('headroom.requests')).toBe(stats.requests);
    expect(telemetry.sum('headroom.tokens')).toBe(stats.tokens.total);
    expect(telemetry.sum('headroom.calls')).toBe(100);
    expect(summary).toMatchObject({ calls: 100, batches: 2, succeeded: stats.admitted });
    expect(summary.failed).toBe(summary.rateLimited);
    expect(summary.failed).toBeGreaterThan(0);
  }, 20_000);
});
