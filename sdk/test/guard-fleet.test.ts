import { afterEach, describe, expect, it } from 'vitest';
import { fleet } from './fleet.js';
import { closedPort, resources, stats } from './mock.js';

// Replicas that share a key and have no Redis: each learns its part from the provider's headers
// (`remaining` falling faster than its own use) and 429s. The provider is the issue's: 1200 RPM,
// at most 20 in any of its clock seconds, per-minute `remaining`, exact `retry-after-ms`.
const RPM = 1200;
const open = resources();
afterEach(() => open.close());

describe('guard without Redis: replicas on one key converge on their parts', () => {
  for (const [replicas, callsEach] of [
    [4, 50],
    [8, 25],
  ] as const) {
    it(`${replicas} processes, guard: true, 200 calls at once: at most 1 % of attempts answered 429, none failed`, async () => {
      const mock = await open.mock({
        keys: { 'sk-fleet': { rpm: RPM } },
        latency: { fixedMs: 50 },
      });
      const fleetOf = await fleet(open, replicas, {
        MOCK_URL: mock.url,
        CALLS: String(callsEach),
      });
      const results = await Promise.all(fleetOf.map((replica) => replica.done));
      expect(results.map((result) => result.failed)).toEqual(Array(replicas).fill(0));
      const truth = (await stats(mock)).keys['sk-fleet']!;
      // Alone, each would take the whole 20 a second: 4 or 8 times the ceiling.
      expect(truth.admitted).toBe(200);
      expect(truth.rateLimited).toBeLessThanOrEqual(0.01 * truth.requests);
    }, 60_000);
  }

  it('a Redis that cannot be reached from the start: each replica says so once and learns its part as without one', async () => {
    const mock = await open.mock({
      keys: { 'sk-fleet': { rpm: RPM } },
      latency: { fixedMs: 50 },
    });
    const fleetOf = await fleet(open, 4, {
      MOCK_URL: mock.url,
      CALLS: '50',
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
    });
    const results = await Promise.all(fleetOf.map((replica) => replica.done));
    expect(results.map((result) => result.failed)).toEqual([0, 0, 0, 0]);
    const truth = (await stats(mock)).keys['sk-fleet']!;
    // Each on the whole ceiling its headers state would send 4 times the provider's 20 a second.
    expect(truth.admitted).toBe(200);
    expect(truth.rateLimited).toBeLessThanOrEqual(0.01 * truth.requests);
    for (const replica of fleetOf) {
      const said = replica
        .stderr()
        .split('\n')
        .filter((line) => line.includes('cannot be reached'));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/learns its part of the ceilings from the provider's headers$/);
    }
  }, 60_000);
});
