import { startMockProvider } from '@headroom/mock-provider';
import { init } from '@headroom/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from '../src/start-collector.js';
import { fakeClock } from '../src/view/test-helpers.js';
import { json, resources } from './helpers.js';

const open = resources();
afterEach(() => open.close());

const messages = [{ role: 'user' as const, content: 'Hello there' }];
const TEAM_A = 'key=team-a|provider=openai|model=gpt-4o-mini';

describe('two key names on one organization', () => {
  it('the real mock provider, the SDK and a real collector: a shared_key diagnosis naming both keys', async () => {
    // Both clocks move only when told, one second a round: the mock's per-second quantum and
    // the collector's seconds then see one call per key a second, never a burst.
    const providerClock = fakeClock();
    const collectorClock = fakeClock();
    // With a store, so it installs the default rules.
    const running = await startCollector({
      port: 0,
      data: open.directory(),
      now: collectorClock.now,
    });
    open.add(() => running.close());
    const mock = await startMockProvider({
      port: 0,
      organizations: { 'org-demo': { rpm: 120 } },
      keys: {
        'sk-team-a': { organization: 'org-demo' },
        'sk-team-b': { organization: 'org-demo' },
      },
      now: providerClock.now,
    });
    open.add(() => mock.close());
    // Only the 429 rule, so the once-a-second evaluation cannot open an incident earlier.
    expect(running.collector.rules.map((rule) => rule.kind)).toContain('rate_limited');
    for (const rule of running.collector.rules) {
      if (rule.kind === 'rate_limited') continue;
      const response = await fetch(`${running.url}/api/rules/${rule.id}`, { method: 'DELETE' });
      expect(response.status).toBe(204);
    }
    const headroom = init({
      serviceName: 'teams',
      collectorUrl: running.url,
      exportIntervalMillis: 60_000,
      registerGlobals: false,
    });
    open.add(() => headroom.shutdown());
    const client = (apiKey: string, key: string) =>
      headroom.instrument(new OpenAI({ apiKey, baseURL: `${mock.url}/v1`, maxRetries: 0 }), {
        key,
      });
    const teamA = client('sk-team-a', 'team-a');
    const teamB = client('sk-team-b', 'team-b');
    const send = (openai: OpenAI) =>
      openai.chat.completions.create({ model: 'gpt-4o-mini', messages });

    // 60 rounds of one call per key: 120 in the organization's minute, 60 on each key.
    for (let round = 0; round < 60; round++) {
      await send(teamA);
      await send(teamB);
      await headroom.forceFlush();
      if (round === 59) break;
      providerClock.advance(1000);
      collectorClock.advance(1000);
    }
    // The minute is spent: team-a's next call, half a second on, is refused for the
    // organization's budget; for the collector it is the next second.
    providerClock.advance(500);
    collectorClock.advance(1000);
    const refused = await send(teamA).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).message).toContain(
      'in organization org-demo on requests per min (RPM): Limit 120, Used 120',
    );
    await headroom.forceFlush();
    expect(mock.stats().keys).toMatchObject({
      'sk-team-a': { admitted: 60, rateLimited: 1 },
      'sk-team-b': { admitted: 60, rateLimited: 0 },
    });

    const snapshot = await json(fetch(`${running.url}/api/snapshot`));
    const budget = {
      id: 'organization=org-demo|provider=openai|model=gpt-4o-mini',
      source: 'organization',
      organization: 'org-demo',
      keys: ['team-a', 'team-b'],
      // The first round has left the collector's 60 s window: 59 + the 429 on team-a, 59 on team-b.
      requestsPerMinute: 119,
      tokensPerMinute: 118 * 22,
    };
    expect(
      snapshot.keys.map((key: { key: string; requestsPerMinute: number; budget: unknown }) => [
        key.key,
        key.requestsPerMinute,
        key.budget,
      ]),
    ).toEqual([
      ['team-a', 60, budget],
      ['team-b', 59, budget],
    ]);

    running.collector.evaluate();
    const incidents = await json(fetch(`${running.url}/api/incidents`));
    expect(incidents.open).toHaveLength(1);
    const [incident] = incidents.open;
    expect(incident).toMatchObject({ subject: TEAM_A, cause: 'shared_key' });
    expect(incident.diagnosis).toMatchObject({
      cause: 'shared_key',
      title: 'Budget shared by keys',
      summary:
        '2 keys on organization org-demo together send 119 RPM against its ceiling of 120 (99%); the busiest, team-a, alone sends 60 (50%).',
      evidence: {
        dimension: 'rpm',
        source: 'organization',
        keys: 'team-a, team-b',
        total: 119,
        ceiling: 120,
        busiestKey: 60,
        shares: 'team-a 50%, team-b 50%',
      },
    });
    expect(incident.diagnosis.fix.text).toContain('Keep one guard budget for the organization');
  });
});
