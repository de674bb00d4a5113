import type { KeyBudget, KeyView } from '@headroom/contract';
import { describe, expect, it } from 'vitest';
import { keyView, replicas, snapshotOf } from '../test-helpers.js';
import { diagnose } from './diagnose.js';

const TEAM_A = 'key=team-a|provider=openai|model=gpt-4o-mini';

const organization: Omit<KeyBudget, 'requestsPerMinute' | 'tokensPerMinute' | 'keys'> = {
  id: 'organization=org-demo|provider=openai|model=gpt-4o-mini',
  source: 'organization',
  organization: 'org-demo',
};

/** Keys on one budget at the given requests per minute (and tokens), each with one replica. */
function onOneBudget(
  use: Record<string, { rpm: number; tpm?: number }>,
  budget: Omit<KeyBudget, 'requestsPerMinute' | 'tokensPerMinute' | 'keys'> = organization,
): KeyView[] {
  const entries = Object.entries(use);
  const shared: KeyBudget = {
    ...budget,
    keys: entries.map(([key]) => key).sort(),
    requestsPerMinute: entries.reduce((sum, [, { rpm }]) => sum + rpm, 0),
    tokensPerMinute: entries.reduce((sum, [, { tpm = 0 }]) => sum + tpm, 0),
  };
  return entries.map(([key, { rpm, tpm = 0 }]) =>
    keyView({
      key,
      requestsPerMinute: rpm,
      callsPerMinute: rpm,
      tokensPerMinute: tpm,
      peakRequestsPerSecond: Math.ceil(rpm / 60),
      retryAmplification: 1,
      activeCalls: 1,
      peakActiveCalls: 2,
      replicas: replicas(rpm),
      ceilings: { rpm: 600, tpm: 100_000 },
      budget: shared,
    }),
  );
}

describe('shared_key: several key names on one budget', () => {
  it('wins on two keys of one organization together at 93 % of its ceiling, neither near it alone', () => {
    const snapshot = snapshotOf({
      keys: onOneBudget({ 'team-a': { rpm: 300 }, 'team-b': { rpm: 260 } }),
    });
    const diagnosis = diagnose(snapshot, TEAM_A);
    expect(diagnosis).toMatchObject({
      cause: 'shared_key',
      title: 'Budget shared by keys',
      summary:
        '2 keys on organization org-demo together send 560 RPM against its ceiling of 600 (93%); the busiest, team-a, alone sends 300 (50%).',
      alternatives: [],
    });
    expect(diagnosis.evidence).toEqual({
      dimension: 'rpm',
      budget: 'organization=org-demo|provider=openai|model=gpt-4o-mini',
      source: 'organization',
      keys: 'team-a, team-b',
      total: 560,
      ceiling: 600,
      busiestKey: 300,
      shares: 'team-a 54%, team-b 46%',
    });
    expect(diagnosis.fix.text).toBe(
      "team-a, team-b draw on one budget: the provider enforces RPM per organization and project, not per key, so giving each key its own guard or ceiling does not keep them under it. Keep one guard budget for the organization: guard every client on it under one guard key, shared through Redis (guard: { redis: 'redis://…' }), so the 2 keys are paced together under 600 RPM. Or move the keys to separate projects with their own limits.",
    );
    expect(diagnosis.fix.snippet).toContain(
      "const budget = { key: 'org-demo', guard: { redis: process.env.REDIS_URL } };",
    );
    expect(diagnosis.fix.snippet).toContain(
      'const teamB = headroom.instrument(new OpenAI({ apiKey: process.env.TEAM_B_API_KEY }), budget);',
    );
    // Either key's alert gets the same diagnosis.
    expect(diagnose(snapshot, 'key=team-b|provider=openai|model=gpt-4o-mini').evidence).toEqual(
      diagnosis.evidence,
    );
  });

  it('names keys that start together over the budget from their first seconds, at their rate', () => {
    // 10 s in: 45 and 40 requests so far, 270 and 240 a minute, together 85 % of 600.
    const early = onOneBudget({ 'team-a': { rpm: 45 }, 'team-b': { rpm: 40 } }).map((view) => ({
      ...view,
      observedSeconds: 10,
    }));
    expect(diagnose(snapshotOf({ keys: early }), TEAM_A)).toMatchObject({
      cause: 'shared_key',
      summary:
        '2 keys on organization org-demo together send 510 RPM against its ceiling of 600 (85%); the busiest, team-a, alone sends 270 (45%).',
    });
    // The same counts over a whole minute are far under it.
    const slow = onOneBudget({ 'team-a': { rpm: 45 }, 'team-b': { rpm: 40 } });
    expect(diagnose(snapshotOf({ keys: slow }), TEAM_A).cause).toBe('none');
  });

  it('wins on tokens, names the project, and says how an inferred budget was found', () => {
    const project = {
      ...organization,
      id: 'organization=org-demo|project=proj-b|provider=openai|model=gpt-4o-mini',
      project: 'proj-b',
    };
    const tokens = onOneBudget(
      {
        'team-a': { rpm: 100, tpm: 45_000 },
        'team-b': { rpm: 100, tpm: 40_000 },
        'team-c': { rpm: 10, tpm: 5_000 },
      },
      project,
    );
    expect(diagnose(snapshotOf({ keys: tokens }), `${TEAM_A}|dimension=tpm`)).toMatchObject({
      cause: 'shared_key',
      summary:
        '3 keys on organization org-demo, project proj-b together send 90000 TPM against its ceiling of 100000 (90%); the busiest, team-a, alone sends 45000 (45%).',
      evidence: {
        dimension: 'tpm',
        total: 90_000,
        busiestKey: 45_000,
        keys: 'team-a, team-b, team-c',
      },
    });
    const inferred = onOneBudget(
      { 'key-a': { rpm: 250 }, 'key-b': { rpm: 250 } },
      {
        id: 'remaining=key-a,key-b|provider=openai|model=gpt-4o-mini',
        source: 'remaining',
      },
    );
    expect(
      diagnose(snapshotOf({ keys: inferred }), 'key=key-a|provider=openai|model=gpt-4o-mini'),
    ).toMatchObject({
      cause: 'shared_key',
      summary:
        '2 keys on one budget (their remaining quota moves together) together send 500 RPM against its ceiling of 600 (83%); the busiest, key-a, alone sends 250 (42%).',
      evidence: {
        source: 'remaining',
        budget: 'remaining=key-a,key-b|provider=openai|model=gpt-4o-mini',
      },
    });
  });

  it('does not fit a key busy alone, a budget under 80 %, or keys on no budget', () => {
    const cause = (keys: KeyView[]) => diagnose(snapshotOf({ keys }), TEAM_A).cause;
    expect(cause(onOneBudget({ 'team-a': { rpm: 500 }, 'team-b': { rpm: 60 } }))).toBe('none');
    expect(cause(onOneBudget({ 'team-a': { rpm: 200 }, 'team-b': { rpm: 200 } }))).toBe('none');
    const apart = onOneBudget({ 'team-a': { rpm: 300 }, 'team-b': { rpm: 260 } }).map((key) => ({
      ...key,
      budget: null,
    }));
    expect(cause(apart)).toBe('none');
  });

  it('replicas on one key still read as replicas; a budget of keys wins when it carries more', () => {
    // team-b idle: the budget's total is the key's own, a tie the replicas' case takes.
    const [alone, idle] = onOneBudget({ 'team-a': { rpm: 560 }, 'team-b': { rpm: 0 } });
    const withReplicas = { ...alone!, peakRequestsPerSecond: 9, replicas: replicas(190, 190, 180) };
    expect(diagnose(snapshotOf({ keys: [withReplicas, idle!] }), TEAM_A)).toMatchObject({
      cause: 'shared_key',
      title: 'Key shared by replicas',
      evidence: { replicas: 3, fleet: 560 },
    });
    const [a, b] = onOneBudget({ 'team-a': { rpm: 300 }, 'team-b': { rpm: 260 } });
    const busier = { ...a!, replicas: replicas(150, 150) };
    expect(diagnose(snapshotOf({ keys: [busier, b!] }), TEAM_A)).toMatchObject({
      cause: 'shared_key',
      title: 'Budget shared by keys',
      evidence: { total: 560, busiestKey: 300 },
    });
  });
});
