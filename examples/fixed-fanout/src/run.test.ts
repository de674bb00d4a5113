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

describe('fixed fan-out', () => {
  it('keeps at most 3 calls in flight, retries in one layer only, and every call succeeds', async () => {
    mock = await startMockProvider({
      port: 0,
      keys: { 'sk-example-fanout-fixed': { rpm: 300, concurrency: 20 } },
      latency: { fixedMs: 20 },
    });
    telemetry = createTestTelemetry();

    // 20 chunks rather than 60, so that the test takes 4 s rather than 12 at 5 requests a second.
    const summary = await run({
      baseURL: `${mock.url}/v1`,
      headroom: telemetry.headroom,
      chunks: 20,
    });
    await telemetry.collect();

    const stats = mock.stats().keys['sk-example-fanout-fixed']!;
    expect(telemetry.max('headroom.calls.active.max', { 'headroom.key': 'fanout-fixed' })).toBe(3);
    // A call fails only after 5 refusals, one second apart at least (`retry-after` is in whole
    // seconds). Each refusal means the other calls used up that second's 5 requests: 25 of them,
    // more than the other 19 chunks can make. So every call succeeds.
    expect(summary).toMatchObject({ calls: 20, succeeded: 20, failed: 0 });
    expect(stats.admitted).toBe(20);
    // Without a 429, 3 calls of 20 ms at a time would end all 20 within a few hundred
    // milliseconds, which no more than three clock seconds hold, and those admit 15.
    expect(summary.rateLimited).toBeGreaterThan(0);
    expect(stats.rateLimited).toBe(summary.rateLimited);
    // The client's own retries are off: each HTTP attempt is one logical call, not stacked.
    expect(telemetry.sum('headroom.requests')).toBe(stats.requests);
    expect(telemetry.sum('headroom.calls')).toBe(stats.requests);
  }, 20_000);
});
