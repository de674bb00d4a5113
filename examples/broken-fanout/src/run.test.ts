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

describe('broken fan-out', () => {
  it('puts all 60 calls in flight at once, and the per-second limit refuses most of them', async () => {
    mock = await startMockProvider({
      port: 0,
      keys: { 'sk-example-fanout': { rpm: 300, concurrency: 20 } },
      latency: { fixedMs: 20 },
    });
    telemetry = createTestTelemetry();

    const summary = await run({ baseURL: `${mock.url}/v1`, headroom: telemetry.headroom });
    await telemetry.collect();

    const stats = mock.stats().keys['sk-example-fanout']!;
    expect(telemetry.max('headroom.calls.active.max', { 'headroom.key': 'fanout' })).toBe(60);
    // 300 RPM admits 5 requests per clock second. The 60 first attempts leave within a few
    // milliseconds, so at most two clock seconds see them: at least 50 are refused.
    expect(stats.rateLimited).toBeGreaterThanOrEqual(50);
    expect(telemetry.sum('headroom.requests', { 'headroom.outcome': 'rate_limited' })).toBe(
      stats.rateLimited,
    );
    expect(telemetry.sum('headroom.requests')).toBe(stats.requests);
    expect(telemetry.sum('headroom.calls')).toBe(60);
    expect(telemetry.sum('headroom.calls', { 'headroom.outcome': 'rate_limited' })).toBe(
      summary.failed,
    );
    expect(summary).toMatchObject({ calls: 60, succeeded: stats.admitted });
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.rateLimited).toBe(summary.failed);
  }, 20_000);
});
