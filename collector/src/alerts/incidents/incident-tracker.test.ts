import { describe, expect, it } from 'vitest';
import type { Rule } from '../../storage/types.js';
import type { Snapshot } from '../../view/snapshot.js';
import { AlertEngine } from '../alert-engine.js';
import { keyView, nodeView, replicas, rule, second, snapshotOf } from '../test-helpers.js';
import type { Evaluation } from '../types.js';
import {
  EVIDENCE_HALF_LIFE_MS,
  IncidentTracker,
  type IncidentUpdate,
  RESTORE_GRACE_MS,
  subjectOf,
} from './incident-tracker.js';

const KEY = 'key=prod|provider=openai|model=gpt-4o-mini';

/** The seven rules that used to raise seven alerts with seven diagnoses for one event. */
const RULES: Rule[] = [
  rule({ id: 'util-warning', name: 'Utilization 80%', threshold: 0.8, forSeconds: 0 }),
  rule({
    id: 'util-critical',
    name: 'Utilization 95%',
    threshold: 0.95,
    forSeconds: 0,
    severity: 'critical',
  }),
  rule({
    id: 'predictive',
    name: 'Ceiling within 60 s',
    kind: 'predictive',
    threshold: 1,
    withinSeconds: 60,
    forSeconds: 0,
  }),
  rule({
    id: 'retries',
    name: 'Retry amplification',
    kind: 'retry_amplification',
    threshold: 1.5,
    forSeconds: 0,
  }),
  rule({ id: 'any-429', name: 'Any 429', kind: 'rate_limited', threshold: 0, forSeconds: 0 }),
];

/** Runs engine and tracker over one snapshot a second from `from`; returns every update. */
function run(
  tracker: IncidentTracker,
  engine: AlertEngine,
  frames: readonly Snapshot[],
  from = 0,
  rules: readonly Rule[] = RULES,
) {
  const updates: Array<IncidentUpdate & { evaluation: Evaluation }> = [];
  frames.forEach((frame, index) => {
    const at = second(from + index);
    const evaluation = engine.evaluate(frame, rules, at);
    updates.push({ ...tracker.update(evaluation, frame, at), evaluation });
  });
  return updates;
}

/** A fan-out on one key: 60 calls in flight from one node, the key at `rpm` of 600. */
function fanOut(requestsPerMinute: number, extra: Parameters<typeof keyView>[0] = {}): Snapshot {
  return snapshotOf({
    keys: [
      keyView({
        requestsPerMinute,
        callsPerMinute: requestsPerMinute,
        retryAmplification: 1,
        activeCalls: 60,
        peakActiveCalls: 60,
        peakRequestsPerSecond: 10,
        ceilings: { rpm: 600 },
        ...extra,
      }),
    ],
    nodes: [nodeView({ node: 'fan', burstSize: 60, callsPerMinute: requestsPerMinute })],
  });
}

const quiet = () =>
  snapshotOf({ keys: [keyView({ requestsPerMinute: 100, ceilings: { rpm: 600 } })] });

describe('IncidentTracker', () => {
  it('five rules on one key firing together are one incident: one id, one cause, the highest severity', () => {
    const tracker = new IncidentTracker();
    const engine = new AlertEngine({ diagnose: false });
    const frames = [
      fanOut(500, { peakRequestsPerSecond: 9 }),
      fanOut(590, { rateLimitedPerMinute: 12, retryAmplification: 1.6, callsPerMinute: 369 }),
      fanOut(590, { rateLimitedPerMinute: 30, retryAmplification: 1.6, callsPerMinute: 369 }),
    ];
    const updates = run(tracker, engine, frames);
    const [open] = tracker.open();
    expect(tracker.open()).toHaveLength(1);
    expect(open).toMatchObject({
      subject: KEY,
      state: 'open',
      severity: 'critical',
      cause: 'fan_out',
      openedAt: second(0),
      firstRateLimitedAt: second(1),
    });
    const last = updates.at(-1)!.evaluation;
    const firing = last.active.filter((alert) => alert.state === 'firing');
    // Seven alerts (utilization on rpm and on burst at two levels), one incident.
    expect(firing.map((alert) => `${alert.ruleId} ${alert.series.slice(KEY.length)}`)).toEqual([
      'any-429 ',
      'predictive |dimension=rpm',
      'retries ',
      'util-critical |dimension=burst',
      'util-critical |dimension=rpm',
      'util-warning |dimension=burst',
      'util-warning |dimension=rpm',
    ]);
    for (const alert of firing) {
      expect(alert.incidentId).toBe(open!.id);
      expect(alert.diagnosis).toEqual(open!.diagnosis);
    }
    expect(open!.diagnosis.cause).toBe('fan_out');
    expect(open!.diagnosis.alternatives).toContain('stacked_retries');
    expect(open!.timeline.map((event) => [event.kind, event.at])).toEqual([
      ['opened', second(0)],
      ['cause_decided', second(0)],
      ['peak_utilization', second(1)],
      ['severity_raised', second(1)],
      ['first_429', second(1)],
    ]);
    expect(open!.peakUtilization).toEqual({ value: 1, dimension: 'burst', at: second(1) });
    // Notifications: opened, then the rise to critical.
    expect(updates.flatMap((update) => update.events.map((entry) => entry.event.kind))).toEqual([
      'opened',
      'severity_raised',
    ]);
  });

  it('resolves when the last alert resolves, not the first; then a new firing is a new incident', () => {
    const tracker = new IncidentTracker();
    const engine = new AlertEngine({ diagnose: false });
    const rules = [
      rule({ id: 'util', threshold: 0.8, forSeconds: 0, clearMargin: 0 }),
      rule({ id: 'any-429', name: 'Any 429', kind: 'rate_limited', threshold: 0, forSeconds: 0 }),
    ];
    // Utilization falls back at second 2; the 429s last until second 4.
    const frames = [
      fanOut(540, { rateLimitedPerMinute: 5 }),
      fanOut(540, { rateLimitedPerMinute: 5 }),
      fanOut(100, { rateLimitedPerMinute: 5, peakRequestsPerSecond: 2 }),
      fanOut(100, { rateLimitedPerMinute: 5, peakRequestsPerSecond: 2 }),
      ...Array.from({ length: 80 }, () => fanOut(100, { peakRequestsPerSecond: 2 })),
    ];
    const updates = run(tracker, engine, frames, 0, rules);
    expect(tracker.open()).toEqual([]);
    const [resolved] = tracker.recent();
    expect(tracker.recent()).toHaveLength(1);
    expect(resolved!.state).toBe('resolved');
    // The rate-limited rule clears once its value has been under the threshold for its clear time.
    const resolvedAt = resolved!.resolvedAt!;
    const lastResolvedTransition = updates
      .flatMap((update) => update.evaluation.transitions)
      .filter((transition) => transition.state === 'resolved')
      .map((transition) => transition.at);
    expect(resolvedAt).toBe(Math.max(...lastResolvedTransition));
    expect(resolvedAt).toBeGreaterThan(second(2));
    // The utilization alerts resolved first; the incident stayed open until the 429 alert went.
    const members = resolved!.alerts.map((alert) => [
      `${alert.ruleId} ${alert.series.slice(KEY.length)}`,
      alert.resolvedAt! < resolvedAt
        ? 'before'
        : alert.resolvedAt === resolvedAt
          ? 'last'
          : 'after',
    ]);
    expect(members.sort()).toEqual([
      ['any-429 ', 'last'],
      ['util |dimension=burst', 'before'],
      ['util |dimension=rpm', 'before'],
    ]);
    for (const transition of updates.flatMap((update) => update.evaluation.transitions)) {
      if (transition.state !== 'pending') expect(transition.incidentId).toBe(resolved!.id);
    }

    const again = run(tracker, engine, [fanOut(540)], 100, rules);
    const [next] = tracker.open();
    expect(next!.id).not.toBe(resolved!.id);
    expect(again[0]!.events.map((entry) => entry.event.kind)).toEqual(['opened']);
  });

  it('a key and a graph node are separate incidents; dimensions of one key are one', () => {
    expect(subjectOf(`${KEY}|dimension=rpm`)).toBe(KEY);
    expect(subjectOf(`${KEY}|dimension=burst`)).toBe(KEY);
    expect(subjectOf('graph=agent|node=model')).toBe('graph=agent|node=model');
    const tracker = new IncidentTracker();
    const engine = new AlertEngine({ diagnose: false });
    const rules = [
      rule({ id: 'util', threshold: 0.8, forSeconds: 0 }),
      rule({ id: 'loop', kind: 'node_executions_per_run', threshold: 10, forSeconds: 0 }),
    ];
    const frame = snapshotOf({
      keys: [
        keyView({ requestsPerMinute: 540, peakRequestsPerSecond: 10, ceilings: { rpm: 600 } }),
      ],
      nodes: [nodeView({ node: 'model', maxExecutionsPerRun: 30, callsPerMinute: 540 })],
      graphs: [{ graph: 'agent', maxStepsPerRun: 24, recursionLimit: 25 }],
    });
    run(tracker, engine, [frame], 0, rules);
    // Same severity and time: in id order.
    expect(tracker.open().map((incident) => [incident.subject, incident.cause])).toEqual([
      ['graph=agent|node=model', 'graph_loop'],
      [KEY, 'graph_loop'],
    ]);
  });

  it('settles its cause over its first 10 s: a first 429 before the pattern shows is not a change', () => {
    const tracker = new IncidentTracker();
    const engine = new AlertEngine({ diagnose: false });
    const rules = [rule({ id: 'any-429', kind: 'rate_limited', threshold: 0, forSeconds: 0 })];
    // The first 429 at a modest rate: no pattern yet.
    const first = snapshotOf({
      keys: [
        keyView({
          requestsPerMinute: 60,
          peakRequestsPerSecond: 3,
          callsPerMinute: 59,
          rateLimitedPerMinute: 1,
          ceilings: { rpm: 600 },
        }),
      ],
    });
    // Then the retries show: 2.4 attempts per call.
    const retries = snapshotOf({
      keys: [
        keyView({
          requestsPerMinute: 540,
          peakRequestsPerSecond: 9,
          callsPerMinute: 225,
          rateLimitedPerMinute: 200,
          ceilings: { rpm: 600 },
        }),
      ],
    });
    const updates = run(
      tracker,
      engine,
      [first, first, ...Array.from({ length: 20 }, () => retries)],
      0,
      rules,
    );
    const [incident] = tracker.open();
    expect(incident!.cause).toBe('stacked_retries');
    // Decided once, when the retries' evidence (1.6 a second from the third second) outweighs
    // the two seconds of no pattern, and never "changed".
    expect(incident!.timeline.filter((event) => event.kind.startsWith('cause_'))).toEqual([
      {
        at: second(3),
        kind: 'cause_decided',
        text: 'Cause: Stacked retries',
        cause: 'stacked_retries',
      },
    ]);
    expect(updates.flatMap((update) => update.events.map((entry) => entry.event.kind))).toEqual([
      'opened',
    ]);
  });

  it('takes no evidence once its key stops sending: the tail of its windows changes nothing', () => {
    const tracker = new IncidentTracker();
    const engine = new AlertEngine({ diagnose: false });
    const rules = [rule({ id: 'any-429', kind: 'rate_limited', threshold: 0, forSeconds: 0 })];
    // Stopped: nothing in flight, no request in the last seconds, but the minute still holds
    // 429s and 2.4 attempts per call.
    const stopped = snapshotOf({
      keys: [
        keyView({
          requestsPerMinute: 540,
          callsPerMinute: 225,
          rateLimitedPerMinute: 200,
          ceilings: { rpm: 600 },
        }),
      ],
    });
    const frames = [
      ...Array.from({ length: 15 }, () => fanOut(540, { rateLimitedPerMinute: 100 })),
      ...Array.from({ length: 60 }, () => stopped),
    ];
    run(tracker, engine, frames, 0, rules);
    const [incident] = tracker.open();
    expect(incident!.cause).toBe('fan_out');
    expect(incident!.timeline.some((event) => event.kind === 'cause_changed')).toBe(false);
  });

  it('keeps its cause through a blip of other evidence, and changes it when the evidence clearly changes', () => {
    const tracker = new IncidentTracker();
    const engine = new AlertEngine({ diagnose: false });
    const rules = [rule({ id: 'util', threshold: 0.8, forSeconds: 0, clearMargin: 0.5 })];
    // Retries with no fan-out: 2.4 attempts per call (score 1.6), nothing in flight to speak of.
    const retries = snapshotOf({
      keys: [
        keyView({
          requestsPerMinute: 540,
          peakRequestsPerSecond: 9,
          callsPerMinute: 225,
          retryAmplification: 2.4,
          ceilings: { rpm: 600 },
        }),
      ],
    });
    const frames = [
      ...Array.from({ length: 30 }, () => fanOut(540)),
      // Two seconds of retries do not outweigh 30 of fan-out.
      retries,
      retries,
      ...Array.from({ length: 5 }, () => fanOut(540)),
    ];
    run(tracker, engine, frames, 0, rules);
    expect(tracker.open()[0]!.cause).toBe('fan_out');
    expect(tracker.open()[0]!.timeline.some((event) => event.kind === 'cause_changed')).toBe(false);

    // Then the fan-out is fixed and the retries stay: the fan-out's evidence fades (half-life
    // 30 s) until the retries' is 1.5 times it.
    const later = run(
      tracker,
      engine,
      Array.from({ length: 120 }, () => retries),
      frames.length,
      rules,
    );
    const [incident] = tracker.open();
    expect(incident!.cause).toBe('stacked_retries');
    expect(incident!.diagnosis.cause).toBe('stacked_retries');
    const change = incident!.timeline.find((event) => event.kind === 'cause_changed')!;
    expect(change).toMatchObject({ cause: 'stacked_retries', previousCause: 'fan_out' });
    const changedAt = (change.at - second(frames.length)) / 1000;
    // Not before the fan-out's fading evidence is outweighed, well within two half-lives.
    expect(changedAt).toBeGreaterThan(2);
    expect(changedAt).toBeLessThan((2 * EVIDENCE_HALF_LIFE_MS) / 1000);
    expect(later.flatMap((update) => update.events.map((entry) => entry.event.kind))).toEqual([
      'cause_changed',
    ]);
  });

  it('an incident open at a restart continues if its alerts come back, and resolves if they do not', () => {
    const engine = new AlertEngine({ diagnose: false });
    const rules = [rule({ id: 'util', threshold: 0.8, forSeconds: 0 })];
    const first = new IncidentTracker();
    run(first, engine, [fanOut(540)], 0, rules);
    const [saved] = first.open();

    // Back within the grace: the same incident, no second "opened".
    const resumed = new IncidentTracker();
    resumed.restore([saved!], second(10));
    const updates = run(resumed, new AlertEngine({ diagnose: false }), [fanOut(540)], 20, rules);
    expect(resumed.open().map((incident) => incident.id)).toEqual([saved!.id]);
    expect(updates[0]!.events).toEqual([]);

    // Not back: resolved once the grace has passed, not before.
    const abandoned = new IncidentTracker();
    abandoned.restore([saved!], second(10));
    const idle = new AlertEngine({ diagnose: false });
    run(abandoned, idle, [quiet()], 10 + RESTORE_GRACE_MS / 1000 - 1, rules);
    expect(abandoned.open()).toHaveLength(1);
    run(abandoned, idle, [quiet()], 10 + RESTORE_GRACE_MS / 1000, rules);
    expect(abandoned.open()).toEqual([]);
    expect(abandoned.recent()[0]).toMatchObject({ id: saved!.id, state: 'resolved' });
  });

  it('shared key evidence across replicas names the shared key', () => {
    const tracker = new IncidentTracker();
    const engine = new AlertEngine({ diagnose: false });
    const frame = snapshotOf({
      keys: [
        keyView({
          requestsPerMinute: 560,
          callsPerMinute: 560,
          retryAmplification: 1,
          peakRequestsPerSecond: 10,
          ceilings: { rpm: 600 },
          replicas: replicas(140, 140, 140, 140),
        }),
      ],
    });
    run(tracker, engine, [frame], 0, [rule({ id: 'util', threshold: 0.8, forSeconds: 0 })]);
    expect(tracker.open()[0]!.cause).toBe('shared_key');
  });
});
