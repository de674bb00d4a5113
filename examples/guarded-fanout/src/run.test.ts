import { run } from '@headroom/example-broken-fanout';
import { type MockProvider, startMockProvider } from '@headroom/mock-provider';
import { createTestTelemetry, type TestTelemetry } from '@headroom/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';

let mock: MockProvider;
let telemetry: TestTelemetry;

afterEach(async () => {
  await telemetry?.shutdown();
  await mock?.close();
});

describe('guarded fan-out', () => {
  it('the same burst with `guard: true`: every call answered, not one 429, the quota used', async () => {
    mock = await startMockProvider({
      port: 0,
      keys: { 'sk-example-fanout-guarded': { rpm: 300, concurrency: 20 } },
      latency: { fixedMs: 20 },
    });
    telemetry = createTestTelemetry();

    const summary = await run({
      baseURL: `${mock.url}/v1`,
      headroom: telemetry.headroom,
      apiKey: 'sk-example-fanout-guarded',
      key: 'fanout-guarded',
      chunks: 20,
      guard: true,
    });
    await telemetry.collect();

    expect(summary).toMatchObject({ calls: 20, succeeded: 20, failed: 0 });
    const stats = mock.stats().keys['sk-example-fanout-guarded']!;
    expect(stats).toMatchObject({ requests: 20, admitted: 20, rateLimited: 0 });
    // 20 calls at 5 a second: the first probes alone, then the guard fills each second.
    expect(telemetry.sum('headroom.guard.delayed', { 'headroom.key': 'fanout-guarded' })).toBe(19);
    expect(summary.durationMs).toBeGreaterThanOrEqual(3000);
  }, 20_000);
});
