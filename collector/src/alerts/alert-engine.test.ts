import { describe, expect, it } from 'vitest';
import type { Rule } from '../storage/types.js';
import type { Snapshot } from '../view/snapshot.js';
import { AlertEngine } from './alert-engine.js';
import { keyView, nodeView, rule, second, snapshotOf } from './test-helpers.js';
import type { TransitionDraft } from './types.js';

const SERIES = 'key=prod|provider=openai|model=gpt-4o-mini';

/** Evaluates one snapshot a second from START; returns every transition without its diagnosis. */
function run(engine: AlertEngine, rules: readonly Rule[], frames: readonly Snapshot[], from = 0) {
  const transitions: Array<Omit<TransitionDraft, 'diagnosis'>> = [];
  frames.forEach((frame, index) => {
    for (const { diagnosis: _diagnosis, ...transition } of engine.evaluate(
      frame,
      rules,
      second(from + index),
    ).transitions) {
      transitions.push(transition);
    }
  });
  return transitions;
}

const rpm = (requestsPerMinute: number) =>
  snapshotOf({ keys: [keyView({ requestsPerMinute, ceilings: { rpm: 600 } })] });

describe('AlertEngine', () => {
  it('a ramp: pending at 80 %, firing 5 s later at 97 % (before the ceiling), resolved 5 s after falling past the margin', () => {
    const engine = new AlertEngine();
    const warning = rule({ threshold: 0.8, forSeconds: 5, clearMargin: 0.05 });
    // One snapshot a second: up 20 RPM a second, then down 20 a second.
    const up = [400, 420, 440, 460, 480, 500, 520, 540, 560, 580];
    const down = [560, 540, 520, 500, 480, 460, 440, 420, 400, 400, 400, 400, 400, 400];
    const transitions = run(engine, [warning], [...up, ...down].map(rpm));
    const base = {
      ruleId: 'rpm-warning',
      series: `${SERIES}|dimension=rpm`,
      severity: 'warning',
      threshold: 0.8,
    };
    expect(transitions).toEqual([
      { ...base, state: 'pending', value: 480 / 600, at: second(4) },
      { ...base, state: 'firing', value: 580 / 600, at: second(9) },
      // 460 (0.767) is under 0.8 but not under 0.8 × 0.95 = 0.76; 440 (0.733) is, from second 16.
      { ...base, state: 'resolved', value: 400 / 600, at: second(21) },
    ]);
    expect(580 / 600).toBeLessThan(1);
  });

  it('the firing transition and the active alert carry the diagnosis; pending does not', () => {
    const engine = new AlertEngine();
    const hot = snapshotOf({
      keys: [
        keyView({
          requestsPerMinute: 540,
          ceilings: { rpm: 600 },
          retryAmplification: 2.4,
          callsPerMinute: 225,
        }),
      ],
    });
    const { transitions, active } = engine.evaluate(hot, [rule({ forSeconds: 0 })], second(0));
    expect(transitions.map((transition) => transition.state)).toEqual(['pending', 'firing']);
    expect(transitions[0]).not.toHaveProperty('diagnosis');
    expect(transitions[1]?.diagnosis).toMatchObject({ cause: 'stacked_retries' });
    expect(active).toEqual([
      {
        ruleId: 'rpm-warning',
        ruleName: 'RPM close to ceiling',
        kind: 'utilization',
        series: `${SERIES}|dimension=rpm`,
        state: 'firing',
        severity: 'warning',
        value: 0.9,
        threshold: 0.8,
        since: second(0),
        firingSince: second(0),
        diagnosis: transitions[1]?.diagnosis,
      },
    ]);
  });

  it('forSeconds: a condition that holds 3 s of 5 never fires, and the pending alert is closed by a resolved transition', () => {
    const engine = new AlertEngine();
    const frames = [500, 500, 500, 300, 300, 300, 300, 300, 300].map(rpm);
    expect(
      run(engine, [rule({ forSeconds: 5 })], frames).map(({ state, at }) => [state, at]),
    ).toEqual([
      ['pending', second(0)],
      ['resolved', second(8)],
    ]);
    expect(engine.evaluate(rpm(300), [rule()], second(9)).active).toEqual([]);
  });

  it('forSeconds: a dip under the threshold but inside the margin keeps the clock running', () => {
    const engine = new AlertEngine();
    // 0.8, 0.79 (inside the margin), 0.8 …: fires at 5 s as if it had held throughout.
    const frames = [480, 474, 480, 474, 480, 480].map(rpm);
    expect(
      run(engine, [rule({ forSeconds: 5 })], frames).map(({ state, at }) => [state, at]),
    ).toEqual([
      ['pending', second(0)],
      ['firing', second(5)],
    ]);
  });

  it('burst utilization: a spike the minute hides alerts on the burst dimension only', () => {
    const engine = new AlertEngine();
    // 120 of 600 RPM (20 %), but 30 requests in one second against 10 a second.
    const spiky = snapshotOf({
      keys: [
        keyView({
          requestsPerMinute: 120,
          peakRequestsPerSecond: 30,
          // Batches of 30 every 15 s, back to back.
          bursts: {
            count: 4,
            size: 30,
            periodSeconds: 15,
            dutyCycle: 1,
            backToBack: 1,
            regular: true,
          },
          ceilings: { rpm: 600 },
        }),
      ],
    });
    const { transitions, active } = engine.evaluate(
      spiky,
      [rule({ threshold: 1, forSeconds: 0, severity: 'critical' })],
      second(0),
    );
    expect(transitions.map(({ series, state, value }) => [series, state, value])).toEqual([
      [`${SERIES}|dimension=burst`, 'pending', 3],
      [`${SERIES}|dimension=burst`, 'firing', 3],
    ]);
    expect(active[0]?.diagnosis).toMatchObject({ cause: 'batch_too_large' });
  });

  it('every dimension with a ceiling is its own series', () => {
    const engine = new AlertEngine();
    const full = snapshotOf({
      keys: [
        keyView({
          requestsPerMinute: 590,
          tokensPerMinute: 95_000,
          activeCalls: 9,
          ceilings: { rpm: 600, tpm: 100_000, concurrency: 10 },
        }),
      ],
    });
    const { active } = engine.evaluate(full, [rule({ forSeconds: 0 })], second(0));
    expect(active.map(({ series, value }) => [series, value])).toEqual([
      [`${SERIES}|dimension=concurrency`, 0.9],
      [`${SERIES}|dimension=rpm`, 590 / 600],
      [`${SERIES}|dimension=tpm`, 0.95],
    ]);
  });

  it('predictive: 150 → 300 RPM in 15 s is 10 RPM a second, so 600 is 30 s away', () => {
    const engine = new AlertEngine();
    const predictive = rule({
      id: 'soon',
      kind: 'predictive',
      withinSeconds: 60,
      forSeconds: 0,
      threshold: 0,
    });
    const rising = (now: number, before: number) =>
      snapshotOf({
        keys: [
          keyView({
            requestsPerMinute: now,
            requestsPerMinuteBefore: before,
            ceilings: { rpm: 600 },
          }),
        ],
      });
    const first = engine.evaluate(rising(300, 150), [predictive], second(0));
    expect(
      first.transitions.map(({ series, state, value, threshold }) => [
        series,
        state,
        value,
        threshold,
      ]),
    ).toEqual([
      [`${SERIES}|dimension=rpm`, 'pending', 30, 60],
      [`${SERIES}|dimension=rpm`, 'firing', 30, 60],
    ]);
    // 186 left at 3 RPM a second is 62 s: past 60, not past 60 × 1.05 = 63, so still firing.
    expect(engine.evaluate(rising(414, 369), [predictive], second(1)).transitions).toEqual([]);
    // 192 left at 3 a second is 64 s: cleared, and resolved once that has held 5 s.
    const clearing = [2, 3, 4, 5, 6, 7].map(
      (at) => engine.evaluate(rising(408, 363), [predictive], second(at)).transitions,
    );
    expect(clearing.flat().map(({ state, value, at }) => [state, value, at])).toEqual([
      ['resolved', 64, second(7)],
    ]);
  });

  it('predictive: past the ceiling it is no prediction — it never fires there, and a firing one clears', () => {
    const engine = new AlertEngine();
    const predictive = rule({ id: 'soon', kind: 'predictive', withinSeconds: 60, forSeconds: 0 });
    const frame = (now: number, before: number) =>
      snapshotOf({
        keys: [
          keyView({
            requestsPerMinute: now,
            requestsPerMinuteBefore: before,
            ceilings: { rpm: 600 },
          }),
        ],
      });
    // Already over and still rising: the utilization rules say so; nothing here.
    expect(engine.evaluate(frame(650, 500), [predictive], second(0)).transitions).toEqual([]);
    // Rising to it: fires; then over it: resolves once that has held 5 s.
    expect(
      engine.evaluate(frame(550, 400), [predictive], second(10)).transitions.map((t) => t.state),
    ).toEqual(['pending', 'firing']);
    const over = [11, 12, 13, 14, 15, 16].flatMap(
      (at) => engine.evaluate(frame(620, 550), [predictive], second(at)).transitions,
    );
    expect(over.map(({ state, value, at }) => [state, value, at])).toEqual([
      ['resolved', 0, second(16)],
    ]);
  });

  it('predictive: use falling or flat never alerts, and a slow rise is far away', () => {
    const engine = new AlertEngine();
    const predictive = rule({ kind: 'predictive', withinSeconds: 60, forSeconds: 0 });
    const frame = (now: number, before: number) =>
      snapshotOf({
        keys: [
          keyView({
            requestsPerMinute: now,
            requestsPerMinuteBefore: before,
            tokensPerMinute: 10,
            ceilings: { rpm: 600, tpm: 1000 },
          }),
        ],
      });
    expect(engine.evaluate(frame(500, 520), [predictive], second(0)).transitions).toEqual([]);
    expect(engine.evaluate(frame(500, 500), [predictive], second(1)).transitions).toEqual([]);
    // 10 RPM in 15 s: 150 s to go.
    expect(engine.evaluate(frame(500, 490), [predictive], second(2)).transitions).toEqual([]);
  });

  it('rate_limited at threshold 0: any 429 fires at once; it resolves after 10 s at exactly zero', () => {
    const engine = new AlertEngine();
    const limited = rule({
      id: '429',
      kind: 'rate_limited',
      threshold: 0,
      forSeconds: 0,
      severity: 'critical',
    });
    const frame = (rateLimitedPerMinute: number) =>
      snapshotOf({ keys: [keyView({ rateLimitedPerMinute })] });
    // One 429, zero for 4 s, one again (the clock restarts), then zero for 10 s.
    const counts = [1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(
      run(engine, [limited], counts.map(frame)).map(({ series, state, value, at }) => [
        series,
        state,
        value,
        at,
      ]),
    ).toEqual([
      [SERIES, 'pending', 1, second(0)],
      [SERIES, 'firing', 1, second(0)],
      [SERIES, 'resolved', 0, second(16)],
    ]);
  });

  it('rate_limited with a threshold uses the margin: 5 per minute needs 4.75 or less', () => {
    const engine = new AlertEngine();
    const limited = rule({ kind: 'rate_limited', threshold: 5, forSeconds: 0 });
    const frame = (rateLimitedPerMinute: number) =>
      snapshotOf({ keys: [keyView({ rateLimitedPerMinute })] });
    const transitions = run(engine, [limited], [6, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4].map(frame));
    expect(transitions.map(({ state, at }) => [state, at])).toEqual([
      ['pending', second(0)],
      ['firing', second(0)],
      ['resolved', second(12)],
    ]);
  });

  it('retry amplification needs 5 calls a minute; a window with no calls resolves it', () => {
    const engine = new AlertEngine();
    const retries = rule({
      id: 'retries',
      kind: 'retry_amplification',
      threshold: 1.5,
      forSeconds: 0,
    });
    const frame = (callsPerMinute: number, retryAmplification: number | null) =>
      snapshotOf({ keys: [keyView({ callsPerMinute, retryAmplification })] });
    expect(engine.evaluate(frame(4, 3), [retries], second(0)).transitions).toEqual([]);
    expect(engine.evaluate(frame(5, 1.5), [retries], second(1)).transitions).toEqual([]);
    const fired = engine.evaluate(frame(5, 3), [retries], second(2)).transitions;
    expect(fired.map(({ series, state, value }) => [series, state, value])).toEqual([
      [SERIES, 'pending', 3],
      [SERIES, 'firing', 3],
    ]);
    // Under the floor again but still amplified: the alert stays.
    expect(engine.evaluate(frame(2, 3), [retries], second(3)).transitions).toEqual([]);
    expect(
      engine
        .evaluate(frame(0, null), [retries], second(4))
        .transitions.map(({ state, value }) => [state, value]),
    ).toEqual([['resolved', 3]]);
  });

  it('node executions per run: a loop alerts on the node, with the graph-loop diagnosis; the selector picks nodes', () => {
    const engine = new AlertEngine();
    const loop = rule({
      id: 'loop',
      kind: 'node_executions_per_run',
      threshold: 10,
      forSeconds: 0,
      selector: { graph: 'agent' },
    });
    const frame = snapshotOf({
      nodes: [
        nodeView({ node: 'critique', maxExecutionsPerRun: 18, callsPerMinute: 30 }),
        nodeView({ node: 'plan', maxExecutionsPerRun: 10 }),
        nodeView({ graph: 'triage', node: 'classify', maxExecutionsPerRun: 40 }),
      ],
    });
    const { transitions } = engine.evaluate(frame, [loop], second(0));
    expect(transitions.map(({ series, state, value }) => [series, state, value])).toEqual([
      ['graph=agent|node=critique', 'pending', 18],
      ['graph=agent|node=critique', 'firing', 18],
    ]);
    expect(transitions[1]?.diagnosis).toMatchObject({
      cause: 'graph_loop',
      evidence: { node: 'agent/critique', executionsPerRun: 18 },
    });
  });

  it('key selectors: absent and * match all, a literal field narrows', () => {
    const engine = new AlertEngine();
    const frame = snapshotOf({
      keys: [
        keyView({ requestsPerMinute: 590, ceilings: { rpm: 600 } }),
        keyView({ key: 'batch', requestsPerMinute: 590, ceilings: { rpm: 600 } }),
        keyView({
          provider: 'anthropic',
          model: 'claude-sonnet-4',
          requestsPerMinute: 590,
          ceilings: { rpm: 600 },
        }),
      ],
    });
    const count = (selector: Rule['selector']) =>
      new AlertEngine().evaluate(frame, [rule({ forSeconds: 0, selector })], second(0)).active
        .length;
    expect(count({})).toBe(3);
    expect(count({ key: '*', provider: '*', model: '*' })).toBe(3);
    expect(count({ key: 'prod' })).toBe(2);
    expect(count({ provider: 'anthropic', model: 'claude-sonnet-4' })).toBe(1);
    expect(count({ model: 'gpt-4o' })).toBe(0);
    // A node rule's fields do not filter keys.
    expect(count({ graph: 'agent' })).toBe(3);
    expect(engine.evaluate(frame, [], second(0)).active).toEqual([]);
  });

  it('a series that leaves the snapshot resolves at once, with its last value', () => {
    const engine = new AlertEngine();
    const warning = rule({ forSeconds: 0 });
    engine.evaluate(rpm(540), [warning], second(0));
    const { transitions, active } = engine.evaluate(snapshotOf(), [warning], second(1));
    expect(transitions).toEqual([
      {
        ruleId: 'rpm-warning',
        series: `${SERIES}|dimension=rpm`,
        state: 'resolved',
        severity: 'warning',
        value: 0.9,
        threshold: 0.8,
        at: second(1),
      },
    ]);
    expect(active).toEqual([]);
  });

  it('a disabled rule raises nothing, and disabling or removing a rule resolves its alerts', () => {
    const engine = new AlertEngine();
    const warning = rule({ forSeconds: 0 });
    expect(
      engine.evaluate(rpm(540), [{ ...warning, enabled: false }], second(0)).transitions,
    ).toEqual([]);
    engine.evaluate(rpm(540), [warning], second(1));
    const disabled = engine.evaluate(rpm(540), [{ ...warning, enabled: false }], second(2));
    expect(disabled.transitions.map(({ state, at }) => [state, at])).toEqual([
      ['resolved', second(2)],
    ]);
    expect(disabled.active).toEqual([]);
    engine.evaluate(rpm(540), [warning], second(3));
    expect(engine.evaluate(rpm(540), [], second(4)).transitions.map(({ state }) => state)).toEqual([
      'resolved',
    ]);
  });

  it('an edited rule keeps its alert and takes the new severity; a new kind resolves it and starts over', () => {
    const engine = new AlertEngine();
    engine.evaluate(rpm(540), [rule({ forSeconds: 0 })], second(0));
    const edited = engine.evaluate(
      rpm(540),
      [rule({ forSeconds: 0, severity: 'critical', name: 'RPM high' })],
      second(1),
    );
    expect(edited.transitions).toEqual([]);
    expect(edited.active[0]).toMatchObject({
      severity: 'critical',
      ruleName: 'RPM high',
      since: second(0),
    });
    const predictive = rule({ kind: 'predictive', withinSeconds: 60, forSeconds: 0 });
    // 0 → 540 RPM in 15 s: the ceiling is 1.7 s away, so the predictive alert is raised anew.
    const changed = engine.evaluate(rpm(540), [predictive], second(2));
    expect(changed.transitions.map(({ state, value }) => [state, value])).toEqual([
      ['resolved', 0.9],
      ['pending', 1.7],
      ['firing', 1.7],
    ]);
  });

  it('flapping true/false every second: pending and firing once, not a transition a second', () => {
    const engine = new AlertEngine();
    const warning = rule({ threshold: 0.8, forSeconds: 5 });
    // 95 % then 50 % (well past the margin), for a minute, then 50 % for good.
    const flapping = Array.from({ length: 60 }, (_, index) => rpm(index % 2 === 0 ? 570 : 300));
    const calm = Array.from({ length: 10 }, () => rpm(300));
    const transitions = run(engine, [warning], [...flapping, ...calm]);
    expect(transitions.map(({ state, at }) => [state, at])).toEqual([
      ['pending', second(0)],
      ['firing', second(6)],
      ['resolved', second(64)],
    ]);
  });

  it('flapping around the threshold stays pending without transitions until it fires', () => {
    const engine = new AlertEngine();
    const frames = Array.from({ length: 30 }, (_, index) => rpm(index % 2 === 0 ? 486 : 474));
    expect(
      run(engine, [rule({ forSeconds: 10 })], frames).map(({ state, at }) => [state, at]),
    ).toEqual([
      ['pending', second(0)],
      ['firing', second(10)],
    ]);
  });

  it('is deterministic: two engines fed the same input emit the same output', () => {
    const frames = [400, 500, 560, 590, 600, 300, 300, 300, 300, 300, 300, 300].map(rpm);
    const rules = [
      rule({ forSeconds: 2 }),
      rule({ id: 'critical', severity: 'critical', threshold: 0.95, forSeconds: 0 }),
    ];
    const outputs = [new AlertEngine(), new AlertEngine()].map((engine) =>
      frames.map((frame, index) => engine.evaluate(frame, rules, second(index))),
    );
    expect(outputs[0]).toEqual(outputs[1]);
    expect(outputs[0]!.flatMap((evaluation) => evaluation.transitions).length).toBe(6);
  });
});
