import { type MockProvider, startMockProvider } from '@headroom/mock-provider';
import { createTestTelemetry, type TestTelemetry } from '@headroom/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from './run.js';

const apiKey = 'sk-example-retries';
let mock: MockProvider;
let telemetry: TestTelemetry;

afterEach(async () => {
  await telemetry?.shutdown();
  await mock?.close();
});

// LangChain waits 1 to 2 s before its first retry, and the app's backoff honours the 1 s
// `retry-after`, so the tests keep each layer to 2 attempts: 5 s at most.
describe('stacked retries', () => {
  it('turns each question the app sees fail into app attempts × LangChain attempts', async () => {
    mock = await startMockProvider({
      port: 0,
      keys: { [apiKey]: { rpm: 60, concurrency: 2 } },
      latency: { fixedMs: 20 },
    });
    // A key that refuses everything for a while, as one over its quota does.
    mock.script(
      Array.from({ length: 20 }, () => 429),
      { key: apiKey },
    );
    telemetry = createTestTelemetry();

    const summary = await run({
      baseURL: `${mock.url}/v1`,
      headroom: telemetry.headroom,
      calls: 2,
      modelRetries: 1,
      appAttempts: 2,
    });
    await telemetry.collect();

    expect(summary).toMatchObject({
      calls: 2,
      invokes: 4,
      succeeded: 0,
      failed: 2,
      rateLimited: 4,
    });
    // 2 questions × 2 app attempts × 2 LangChain attempts.
    expect(mock.stats().keys[apiKey]!.requests).toBe(8);
    expect(telemetry.sum('headroom.requests', { 'headroom.key': 'retries' })).toBe(8);
    expect(telemetry.sum('headroom.calls', { 'headroom.outcome': 'rate_limited' })).toBe(4);
    expect(telemetry.sum('headroom.requests') / telemetry.sum('headroom.calls')).toBe(2);
  }, 20_000);

  it('against a tight limit, sends more than 1.5 HTTP attempts per logical call', async () => {
    mock = await startMockProvider({
      port: 0,
      keys: { [apiKey]: { rpm: 60, concurrency: 2 } },
      latency: { fixedMs: 20 },
    });
    telemetry = createTestTelemetry();

    const summary = await run({
      baseURL: `${mock.url}/v1`,
      headroom: telemetry.headroom,
      calls: 10,
      modelRetries: 1,
      appAttempts: 2,
    });
    await telemetry.collect();

    const stats = mock.stats().keys[apiKey]!;
    const attempts = telemetry.sum('headroom.requests');
    const calls = telemetry.sum('headroom.calls');
    expect(attempts).toBe(stats.requests);
    expect(telemetry.sum('headroom.requests', { 'headroom.outcome': 'rate_limited' })).toBe(
      stats.rateLimited,
    );
    expect(calls).toBe(summary.invokes);
    expect(summary.succeeded).toBe(stats.admitted);
    // 60 RPM admits 1 request per clock second. Each layer's attempts of the 10 questions fall
    // within about a second of one another, so few are admitted: at least 4 of the 10 first
    // invokes fail twice and are invoked again (14 invokes or more), and at most 6 invokes are
    // admitted at their first attempt; every other invoke makes 2 attempts. 2 − 6/14 > 1.5.
    expect(attempts / calls).toBeGreaterThan(1.5);
  }, 20_000);
});
