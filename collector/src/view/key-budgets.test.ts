import { describe, expect, it } from 'vitest';
import type { Attributes } from '../otlp/types.js';
import { snapshot } from './snapshot.js';
import { fakeClock, gauge, OPENAI_KEY, point, replicaExport, sum } from './test-helpers.js';
import { View } from './view.js';

interface KeyReport {
  key: string;
  /** Admitted requests over the window (delta), and 429s besides. */
  requests: number;
  rateLimited?: number;
  /** `headroom.ratelimit.limit` and `.remaining` for requests; tokens at 100 000, unused. */
  limit?: number;
  remaining?: number;
  organization?: string;
  project?: string;
  model?: string;
}

/** One replica's export per key: its requests, and the ratelimit gauges as the SDK sends them. */
function viewOf(reports: KeyReport[]) {
  const clock = fakeClock();
  const view = new View({ now: clock.now });
  const now = clock.now();
  for (const report of reports) {
    const key: Attributes = {
      ...OPENAI_KEY,
      'headroom.key': report.key,
      ...(report.model && { 'gen_ai.request.model': report.model }),
    };
    const account: Attributes = {
      ...(report.organization && { 'headroom.ratelimit.organization': report.organization }),
      ...(report.project && { 'headroom.ratelimit.project': report.project }),
    };
    const dimension = (name: string) => ({
      ...key,
      ...account,
      'headroom.ratelimit.dimension': name,
    });
    const limit = report.limit ?? 600;
    view.ingestMetrics(
      replicaExport(`replica-${report.key}`, [
        sum(
          'headroom.requests',
          [
            point({ ...key, 'headroom.outcome': 'ok' }, report.requests, now),
            point({ ...key, 'headroom.outcome': 'rate_limited' }, report.rateLimited ?? 0, now),
          ],
          'delta',
        ),
        sum(
          'headroom.tokens',
          [point({ ...key, 'gen_ai.token.type': 'input' }, report.requests * 20, now)],
          'delta',
        ),
        gauge('headroom.ratelimit.limit', [
          point(dimension('requests'), limit, now),
          point(dimension('tokens'), 100_000, now),
        ]),
        gauge('headroom.ratelimit.remaining', [
          point(dimension('requests'), report.remaining ?? limit - report.requests, now),
          point(dimension('tokens'), 100_000, now),
        ]),
      ]),
    );
  }
  return snapshot(view);
}

const budgets = (reports: KeyReport[]) =>
  Object.fromEntries(viewOf(reports).keys.map((key) => [key.key, key.budget]));

describe('key budgets', () => {
  it('keys naming one organization are one budget, with the project when they name one', () => {
    expect(
      budgets([
        { key: 'team-a', requests: 300, organization: 'org-demo' },
        { key: 'team-b', requests: 250, organization: 'org-demo' },
        { key: 'team-c', requests: 40, organization: 'org-demo', project: 'proj-c' },
        { key: 'team-d', requests: 10, organization: 'org-demo', project: 'proj-c' },
        { key: 'team-e', requests: 30, organization: 'org-other' },
      ]),
    ).toEqual({
      'team-a': {
        id: 'organization=org-demo|provider=openai|model=gpt-4o-mini',
        source: 'organization',
        organization: 'org-demo',
        keys: ['team-a', 'team-b'],
        requestsPerMinute: 550,
        tokensPerMinute: 11_000,
      },
      'team-b': expect.objectContaining({ keys: ['team-a', 'team-b'] }),
      'team-c': {
        id: 'organization=org-demo|project=proj-c|provider=openai|model=gpt-4o-mini',
        source: 'organization',
        organization: 'org-demo',
        project: 'proj-c',
        keys: ['team-c', 'team-d'],
        requestsPerMinute: 50,
        tokensPerMinute: 1000,
      },
      'team-d': expect.objectContaining({ keys: ['team-c', 'team-d'] }),
      // Alone on its organization: no budget shared.
      'team-e': null,
    });
  });

  it('one organization on two models is two budgets: providers limit per model', () => {
    const keys = viewOf([
      { key: 'team-a', requests: 10, organization: 'org-demo' },
      { key: 'team-b', requests: 10, organization: 'org-demo', model: 'gpt-4o' },
    ]).keys;
    expect(keys.map((key) => key.budget)).toEqual([null, null]);
  });

  it('without headers: equal ceilings and each remaining down by the requests of both', () => {
    // 600 − 420 = 180 used on each key: 100 + 80 admitted, within 10 %; neither alone explains it.
    const both = budgets([
      { key: 'key-a', requests: 100, remaining: 420 },
      { key: 'key-b', requests: 80, rateLimited: 7, remaining: 425 },
    ]);
    expect(both).toEqual({
      'key-a': {
        id: 'remaining=key-a,key-b|provider=openai|model=gpt-4o-mini',
        source: 'remaining',
        keys: ['key-a', 'key-b'],
        // Attempts, 429s included, as every requestsPerMinute of the view.
        requestsPerMinute: 187,
        tokensPerMinute: 3600,
      },
      'key-b': expect.objectContaining({ source: 'remaining', keys: ['key-a', 'key-b'] }),
    });
  });

  it('three keys on one budget, beside an independent key with equal ceilings', () => {
    const found = budgets([
      { key: 'key-a', requests: 50, remaining: 450 },
      { key: 'key-b', requests: 50, remaining: 450 },
      { key: 'key-c', requests: 50, remaining: 452 },
      // Its own 140 requests explain its remaining: a key alone, near the others' figures.
      { key: 'key-d', requests: 140, remaining: 460 },
    ]);
    expect(found['key-a']?.keys).toEqual(['key-a', 'key-b', 'key-c']);
    expect(found['key-c']?.id).toBe(
      'remaining=key-a,key-b,key-c|provider=openai|model=gpt-4o-mini',
    );
    expect(found['key-d']).toBe(null);
  });

  it('two independent keys with equal ceilings whose remaining each follow their own requests are not grouped', () => {
    expect(
      budgets([
        { key: 'key-a', requests: 100 },
        { key: 'key-b', requests: 100 },
      ]),
    ).toEqual({ 'key-a': null, 'key-b': null });
    // Nor when the remaining of one moves with outside use the other's requests do not match.
    expect(
      budgets([
        { key: 'key-a', requests: 100, remaining: 300 },
        { key: 'key-b', requests: 100, remaining: 300 },
      ]),
    ).toEqual({ 'key-a': null, 'key-b': null });
  });

  it('groups no keys with different ceilings, too few requests, or a dominant key', () => {
    const cases: KeyReport[][] = [
      [
        { key: 'key-a', requests: 100, remaining: 420 },
        { key: 'key-b', requests: 80, remaining: 320, limit: 500 },
      ],
      [
        { key: 'key-a', requests: 4, remaining: 592 },
        { key: 'key-b', requests: 4, remaining: 592 },
      ],
      // key-a sends 95 % of the budget's requests: indistinguishable from a key alone.
      [
        { key: 'key-a', requests: 190, remaining: 400 },
        { key: 'key-b', requests: 10, remaining: 400 },
      ],
    ];
    for (const reports of cases) {
      expect(Object.values(budgets(reports))).toEqual([null, null]);
    }
  });
});
