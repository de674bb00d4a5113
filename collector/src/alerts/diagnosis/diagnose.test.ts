import type { CallBursts } from '@headroom/contract';
import { describe, expect, it } from 'vitest';
import { graphView, keyView, nodeView, replicas, snapshotOf } from '../test-helpers.js';
import { diagnose } from './diagnose.js';

const KEY = 'key=prod|provider=openai|model=gpt-4o-mini';
const RPM = `${KEY}|dimension=rpm`;

/** A key at 90 % of 600 RPM with none of the five patterns: the base each test adds one to. */
const steady = {
  requestsPerMinute: 540,
  peakRequestsPerSecond: 10,
  callsPerMinute: 540,
  retryAmplification: 1,
  activeCalls: 4,
  peakActiveCalls: 6,
};

describe('diagnose', () => {
  it('steady demand with no pattern is `none`, with the numbers', () => {
    const diagnosis = diagnose(
      snapshotOf({ keys: [keyView({ ...steady, ceilings: { rpm: 600 } })] }),
      RPM,
    );
    expect(diagnosis).toEqual({
      cause: 'none',
      title: 'Demand at the ceiling, no pattern',
      summary:
        'prod/openai/gpt-4o-mini: demand itself is at the ceiling, 540 of 600 RPM (90%), 60 RPM of headroom left; 0 429s per minute, and no fan-out, retry, loop, batch or shared-key pattern.',
      evidence: {
        requestsPerMinute: 540,
        tokensPerMinute: 0,
        rateLimitedPerMinute: 0,
        rpmCeiling: 600,
        rpmHeadroom: 60,
      },
      fix: expect.objectContaining({ snippet: '' }),
      alternatives: [],
    });
  });

  describe('fan_out', () => {
    it('wins on a node that starts 24 calls in one second against 10 a second, naming the node', () => {
      const snapshot = snapshotOf({
        keys: [keyView({ ...steady, peakRequestsPerSecond: 24, ceilings: { rpm: 600 } })],
        nodes: [
          nodeView({
            node: 'summarize',
            burstSize: 24,
            peakActiveExecutions: 24,
            callsPerMinute: 200,
          }),
          nodeView({ node: 'plan', burstSize: 2, callsPerMinute: 40 }),
        ],
      });
      const diagnosis = diagnose(snapshot, RPM);
      expect(diagnosis.cause).toBe('fan_out');
      expect(diagnosis.summary).toBe(
        'agent/summarize started 24 model calls within one second, 24 side by side (fan-out from 10).',
      );
      expect(diagnosis.evidence).toEqual({
        node: 'agent/summarize',
        burstSize: 24,
        burstTrigger: 10,
        peakActiveExecutions: 24,
      });
      expect(diagnosis.fix.snippet).toContain('pLimit(10)');
      expect(diagnosis.fix.snippet).toContain('maxConcurrency: 10');
      // The same spike is not also called a batch: the node burst explains it.
      expect(diagnosis.alternatives).toEqual([]);
    });

    it('suspects only the nodes that called the key, when nodes say which keys they call', () => {
      const prod = { key: 'prod', provider: 'openai', model: 'gpt-4o-mini' };
      const other = { key: 'batch', provider: 'openai', model: 'gpt-4o-mini' };
      const withNode = (keys: Array<typeof prod>) =>
        diagnose(
          snapshotOf({
            keys: [keyView({ ...steady, ceilings: { rpm: 600 } })],
            nodes: [
              nodeView({ burstSize: 24, peakActiveExecutions: 24, callsPerMinute: 200, keys }),
            ],
          }),
          RPM,
        ).cause;
      expect(withNode([other])).toBe('none');
      expect(withNode([other, prod])).toBe('fan_out');
      // A node with no key recorded (a traces-only app) is a suspect of every key.
      expect(withNode([])).toBe('fan_out');
    });

    it('wins on the key alone when the peak in flight reaches the concurrency ceiling', () => {
      const snapshot = snapshotOf({
        keys: [keyView({ ...steady, peakActiveCalls: 6, ceilings: { rpm: 600, concurrency: 5 } })],
      });
      const diagnosis = diagnose(snapshot, `${KEY}|dimension=concurrency`);
      expect(diagnosis).toMatchObject({
        cause: 'fan_out',
        evidence: { peakActiveCalls: 6, concurrencyCeiling: 5 },
      });
      expect(diagnosis.fix.snippet).toContain('pLimit(4)');
    });

    it('wins a tie with graph_loop on a LangGraph Send: 20 executions in a run, all side by side', () => {
      const snapshot = snapshotOf({
        keys: [keyView({ ...steady, ceilings: { rpm: 600 } })],
        nodes: [
          nodeView({
            node: 'map',
            maxExecutionsPerRun: 20,
            peakActiveExecutions: 20,
            callsPerMinute: 100,
          }),
        ],
      });
      expect(diagnose(snapshot, RPM)).toMatchObject({
        cause: 'fan_out',
        evidence: { node: 'agent/map' },
        alternatives: ['graph_loop'],
      });
    });

    it('does not fit 9 in flight, 2 calls a second from a node, or a burst in a node that calls no model', () => {
      const snapshot = snapshotOf({
        keys: [keyView({ ...steady, peakActiveCalls: 9, ceilings: { rpm: 60 } })],
        nodes: [
          nodeView({ node: 'plan', burstSize: 2, callsPerMinute: 30 }),
          nodeView({ node: 'fetch', burstSize: 50, peakActiveExecutions: 50 }),
        ],
      });
      expect(diagnose(snapshot, RPM).cause).toBe('none');
    });
  });

  describe('stacked_retries', () => {
    it('wins at 2.4 attempts per call, with the 429s', () => {
      const snapshot = snapshotOf({
        keys: [
          keyView({
            ...steady,
            callsPerMinute: 225,
            retryAmplification: 2.4,
            rateLimitedPerMinute: 37,
            ceilings: { rpm: 600 },
          }),
        ],
      });
      const diagnosis = diagnose(snapshot, RPM);
      expect(diagnosis).toMatchObject({
        cause: 'stacked_retries',
        title: 'Stacked retries',
        summary:
          '2.4 HTTP attempts per call the app asked for (540 requests for 225 calls a minute), 37 429s per minute (7% of the requests).',
        evidence: {
          attemptsPerCall: 2.4,
          requestsPerMinute: 540,
          callsPerMinute: 225,
          rateLimitedPerMinute: 37,
          rateLimitedShare: 0.07,
          retryLayers: 0,
        },
        alternatives: [],
      });
      expect(diagnosis.fix.snippet).toContain('new OpenAI({ maxRetries: 0 })');
    });

    it('an app that gives up waiting and asks again: stacked retries, though its calls pile up in flight', () => {
      // 30 questions a minute asked, each asked again once while the first still runs; the
      // client resends once too. 10 started in the first second, 40 in flight at peak.
      const snapshot = snapshotOf({
        keys: [
          keyView({
            ...steady,
            requestsPerMinute: 90,
            callsPerMinute: 30,
            callsStartedPerMinute: 60,
            retriesPerMinute: { client: 30, framework: 0, app: 30 },
            retryAmplification: 3,
            rateLimitedPerMinute: 50,
            peakActiveCalls: 40,
            peakCallsStartedPerSecond: 10,
            ceilings: { rpm: 60, concurrency: 5 },
          }),
        ],
      });
      const diagnosis = diagnose(snapshot, RPM);
      // Retries 3 / 1.5 = 2; fan-out: 10 started at once / 3, less the half that are repeats = 1.67.
      expect(diagnosis).toMatchObject({
        cause: 'stacked_retries',
        summary:
          '3 HTTP attempts per call the app asked for (90 requests for 30 calls a minute), 50 429s per minute (56% of the requests). ' +
          '2 retry layers seen: the client resent 30, the app repeated 30 calls.',
        evidence: {
          attemptsPerCall: 3,
          callsPerMinute: 30,
          retryLayers: 2,
          clientRetriesPerMinute: 30,
          frameworkRetriesPerMinute: 0,
          appRepeatsPerMinute: 30,
        },
        alternatives: ['fan_out'],
      });
    });

    it('calls kept in flight by their retries are no fan-out: in flight is judged per attempt', () => {
      const key = (peakCallsStartedPerSecond: number) =>
        keyView({
          ...steady,
          retryAmplification: 4,
          callsStartedPerMinute: 135,
          retriesPerMinute: { client: 0, framework: 300, app: 0 },
          peakActiveCalls: 30,
          peakCallsStartedPerSecond,
          ceilings: { rpm: 600, concurrency: 10 },
        });
      // 30 in flight / 10, per attempt of 4 = 0.75: not past the trigger.
      const spread = diagnose(snapshotOf({ keys: [key(2)] }), RPM);
      expect(spread).toMatchObject({ cause: 'stacked_retries', alternatives: [] });
      // The same, started 30 at once: that is a fan-out (30 / 10 = 3 against 4 / 1.5 = 2.67).
      const atOnce = diagnose(snapshotOf({ keys: [key(30)] }), RPM);
      expect(atOnce).toMatchObject({
        cause: 'fan_out',
        summary:
          '30 model calls started within one second, 30 in flight at peak (fan-out from 10).',
        alternatives: ['stacked_retries'],
      });
      // Started together by several replicas, it is the fleet's second, not one site's burst.
      const fleet = diagnose(
        snapshotOf({ keys: [{ ...key(30), replicas: replicas(200, 200) }] }),
        RPM,
      );
      expect(fleet.cause).toBe('stacked_retries');
    });

    it('does not fit 1.5 attempts per call, or a window with no calls', () => {
      const at = (retryAmplification: number | null) =>
        diagnose(
          snapshotOf({
            keys: [keyView({ ...steady, retryAmplification, ceilings: { rpm: 600 } })],
          }),
          RPM,
        ).cause;
      expect(at(1.5)).toBe('none');
      expect(at(null)).toBe('none');
    });
  });

  describe('graph_loop', () => {
    it('wins on a model node run 18 times in one run, naming it and the recursion limit', () => {
      const snapshot = snapshotOf({
        keys: [keyView({ ...steady, ceilings: { rpm: 600 } })],
        nodes: [
          nodeView({
            node: 'critique',
            maxExecutionsPerRun: 18,
            peakActiveExecutions: 2,
            callsPerMinute: 300,
          }),
        ],
        graphs: [graphView({ maxStepsPerRun: 19, recursionLimit: 25 })],
      });
      expect(diagnose(snapshot, RPM)).toMatchObject({
        cause: 'graph_loop',
        summary: 'agent/critique ran 18 times in one run.',
        evidence: { node: 'agent/critique', executionsPerRun: 18, recursionLimit: 25 },
      });
    });

    it('wins on a graph using 22 of its 25 steps', () => {
      const snapshot = snapshotOf({
        keys: [keyView({ ...steady, ceilings: { rpm: 600 } })],
        nodes: [nodeView({ node: 'agent', maxExecutionsPerRun: 8, callsPerMinute: 300 })],
        graphs: [graphView({ maxStepsPerRun: 22, recursionLimit: 25 })],
      });
      const diagnosis = diagnose(snapshot, RPM);
      expect(diagnosis).toMatchObject({
        cause: 'graph_loop',
        summary: 'agent took 22 steps in one run, 88% of its recursion limit 25.',
        evidence: { graph: 'agent', stepsPerRun: 22, recursionLimit: 25 },
      });
      expect(diagnosis.fix.snippet).toContain('recursionLimit');
    });

    it('is the diagnosis of a node alert', () => {
      const snapshot = snapshotOf({
        nodes: [nodeView({ node: 'critique', maxExecutionsPerRun: 30 })],
        graphs: [graphView()],
      });
      expect(diagnose(snapshot, 'graph=agent|node=critique')).toMatchObject({
        cause: 'graph_loop',
        evidence: { node: 'agent/critique' },
      });
    });

    it('does not fit 10 executions a run, 19 of 25 steps, a graph with no limit, or a graph with no model node', () => {
      const snapshot = snapshotOf({
        keys: [keyView({ ...steady, ceilings: { rpm: 600 } })],
        nodes: [
          nodeView({ node: 'agent', maxExecutionsPerRun: 10, callsPerMinute: 300 }),
          nodeView({ graph: 'etl', node: 'load', maxExecutionsPerRun: 40 }),
        ],
        graphs: [
          graphView({ maxStepsPerRun: 19 }),
          graphView({ graph: 'other', maxStepsPerRun: 500, recursionLimit: null }),
          graphView({ graph: 'etl', maxStepsPerRun: 45, recursionLimit: 50 }),
        ],
      });
      expect(diagnose(snapshot, RPM).cause).toBe('none');
    });
  });

  describe('batch_too_large', () => {
    const train = {
      count: 6,
      size: 50,
      periodSeconds: 2,
      dutyCycle: 1,
      backToBack: 1,
      regular: true,
    };
    const batches = (fields: Parameters<typeof keyView>[0] = {}) =>
      keyView({
        ...steady,
        requestsPerMinute: 900,
        callsPerMinute: 300,
        retryAmplification: 3,
        tokensPerMinute: 36_000,
        peakRequestsPerSecond: 60,
        peakActiveCalls: 50,
        peakCallsStartedPerSecond: 50,
        bursts: train,
        ceilings: { rpm: 600, tpm: 60_000 },
        ...fields,
      });

    it('wins on a regular train of 50-call batches sent back to back, over the in-flight fan-out', () => {
      const diagnosis = diagnose(snapshotOf({ keys: [batches()] }), RPM);
      expect(diagnosis).toMatchObject({
        cause: 'batch_too_large',
        summary:
          '6 batches of about 50 calls, one every 2 s, 100% of them as soon as the one before was done; one second of the quota holds a batch of 8.',
        // 600 RPM is 10 a second; 60,000 TPM at 120 tokens a call is 8 calls a second.
        evidence: {
          batches: 6,
          batchSize: 50,
          periodSeconds: 2,
          dutyCycle: 1,
          backToBack: 1,
          batchSizeThatFits: 8,
          busiestSecond: 60,
        },
        // 50 in flight would be a fan-out's evidence; here it is the batch's.
        alternatives: ['stacked_retries'],
      });
      expect(diagnosis.fix.snippet).toContain('const batchSize = 8;');
    });

    it('is batches with quiet seconds between too, naming the pause; a fan-out when irregular or one', () => {
      const cause = (bursts: CallBursts | null) =>
        diagnose(snapshotOf({ keys: [batches({ bursts })] }), RPM).cause;
      // The same batches with a pause after each: the pause does not make a batch fit.
      const paused = diagnose(
        snapshotOf({
          keys: [
            batches({ bursts: { ...train, periodSeconds: 5, dutyCycle: 0.4, backToBack: 0 } }),
          ],
        }),
        RPM,
      );
      expect(paused).toMatchObject({
        cause: 'batch_too_large',
        summary:
          '6 batches of about 50 calls, one every 5 s, calls in flight 40% of the time, quiet seconds between; one second of the quota holds a batch of 8.',
      });
      expect(cause({ ...train, regular: false })).toBe('fan_out');
      expect(
        cause({
          count: 1,
          size: 60,
          periodSeconds: null,
          dutyCycle: 0,
          backToBack: 0,
          regular: false,
        }),
      ).toBe('fan_out');
      // Exports too sparse to tell seconds apart: no batch evidence.
      expect(cause(null)).toBe('fan_out');
    });
  });

  describe('shared_key', () => {
    it('wins on 3 replicas each far under the ceiling and together at 93 % of it', () => {
      const snapshot = snapshotOf({
        keys: [
          keyView({
            ...steady,
            requestsPerMinute: 560,
            peakRequestsPerSecond: 9,
            replicas: replicas(190, 190, 180),
            ceilings: { rpm: 600 },
          }),
        ],
      });
      const diagnosis = diagnose(snapshot, RPM);
      expect(diagnosis).toMatchObject({
        cause: 'shared_key',
        summary:
          '3 replicas together send 560 RPM against a ceiling of 600 (93%); the busiest alone sends 190 (32%).',
        evidence: {
          dimension: 'rpm',
          replicas: 3,
          fleet: 560,
          ceiling: 600,
          busiestReplica: 190,
          shares: 'replica-0 34%, replica-1 34%, replica-2 32%',
        },
      });
      expect(diagnosis.fix.text).toContain('(200 RPM)');
    });

    it('wins on tokens when the token ceiling is the one shared', () => {
      const snapshot = snapshotOf({
        keys: [
          keyView({
            ...steady,
            requestsPerMinute: 100,
            peakRequestsPerSecond: 2,
            tokensPerMinute: 90_000,
            replicas: replicas(50, 50),
            ceilings: { rpm: 600, tpm: 100_000 },
          }),
        ],
      });
      expect(diagnose(snapshot, `${KEY}|dimension=tpm`)).toMatchObject({
        cause: 'shared_key',
        evidence: { dimension: 'tpm', fleet: 90_000, busiestReplica: 45_000 },
      });
    });

    it('wins on the busiest second when replicas burst together with room left in the minute', () => {
      const snapshot = snapshotOf({
        keys: [
          keyView({
            ...steady,
            requestsPerMinute: 300,
            peakRequestsPerSecond: 9,
            replicas: replicas(75, 75, 75, 75).map((replica) => ({
              ...replica,
              peakRequestsPerSecond: 3,
            })),
            ceilings: { rpm: 600 },
          }),
        ],
      });
      const diagnosis = diagnose(snapshot, `${KEY}|dimension=burst`);
      expect(diagnosis).toMatchObject({
        cause: 'shared_key',
        summary:
          '4 replicas together send 9 requests in their busiest second against a ceiling of 10 (90%); the busiest alone sends 3 (30%).',
        evidence: { dimension: 'burst', fleet: 9, ceiling: 10, busiestReplica: 3 },
      });
      expect(diagnosis.fix.text).toContain('(150 RPM)');
    });

    it('does not fit one replica, a replica busy alone, or a fleet under 80 %', () => {
      const at = (requestsPerMinute: number, split: number[]) =>
        diagnose(
          snapshotOf({
            keys: [
              keyView({
                ...steady,
                requestsPerMinute,
                peakRequestsPerSecond: Math.floor(requestsPerMinute / 60),
                replicas: replicas(...split),
                ceilings: { rpm: 600 },
              }),
            ],
          }),
          RPM,
        ).cause;
      expect(at(560, [560])).toBe('none');
      expect(at(560, [500, 60])).toBe('none');
      expect(at(450, [150, 150, 150])).toBe('none');
    });
  });

  describe('a guarded key', () => {
    const guard = {
      waiting: 50,
      admittedPerMinute: 580,
      delayedPerMinute: 520,
      rejectedPerMinute: 0,
      averageWaitSeconds: 2.5,
    };
    // 60 calls started at once by one node: 10 at the provider, 50 in the guard's queue.
    const fanning = (rateLimitedPerMinute: number) =>
      snapshotOf({
        keys: [
          keyView({
            ...steady,
            requestsPerMinute: 580,
            activeCalls: 60,
            peakActiveCalls: 60,
            rateLimitedPerMinute,
            ceilings: { rpm: 600 },
            guard,
          }),
        ],
        nodes: [nodeView({ node: 'fan', burstSize: 60, callsPerMinute: 580 })],
      });

    it('held under its ceilings with no 429s is healthy, not a fan-out, whatever waits in the guard', () => {
      expect(diagnose(fanning(0), RPM)).toEqual({
        cause: 'none',
        title: 'Held under the ceiling by the guard',
        summary:
          'prod/openai/gpt-4o-mini: the guard keeps the provider at 580 of 600 RPM (97%) with no 429s; 50 calls wait in its queue, 2.5 s mean wait.',
        evidence: {
          requestsPerMinute: 580,
          rateLimitedPerMinute: 0,
          waitingInGuard: 50,
          delayedPerMinute: 520,
          averageWaitSeconds: 2.5,
          rpmCeiling: 600,
        },
        alternatives: [],
        fix: {
          text: expect.stringMatching(/^Healthy: the guard queues/),
          snippet: '',
        },
      });
    });

    it('with 429s the guard is not holding, and the evidence names the pattern; the fix offers the guard', () => {
      const diagnosis = diagnose(fanning(12), RPM);
      expect(diagnosis.cause).toBe('fan_out');
      expect(diagnosis.fix.text).toContain('guard: true');
      expect(diagnosis.fix.snippet).toContain('{ guard: true }');
    });
  });

  it('ranks by how far each signal is past its trigger; the others are alternatives, strongest first', () => {
    // Retries 2.4 / 1.5 = 1.6; shared 560 / 480 = 1.17; fan-out 30 in flight / 10, per
    // attempt of 2.4 = 1.25.
    const snapshot = snapshotOf({
      keys: [
        keyView({
          ...steady,
          requestsPerMinute: 560,
          peakRequestsPerSecond: 9,
          retryAmplification: 2.4,
          callsStartedPerMinute: 233,
          peakActiveCalls: 30,
          replicas: replicas(190, 190, 180),
          ceilings: { rpm: 600 },
        }),
      ],
    });
    const diagnosis = diagnose(snapshot, RPM);
    expect(diagnosis.cause).toBe('stacked_retries');
    expect(diagnosis.alternatives).toEqual(['fan_out', 'shared_key']);
  });

  it('a series no longer in the view is `none`; the same input always gives the same diagnosis', () => {
    expect(diagnose(snapshotOf(), RPM)).toMatchObject({
      cause: 'none',
      summary: `${RPM} is no longer in the view.`,
    });
    const snapshot = snapshotOf({
      keys: [
        keyView({ ...steady, retryAmplification: 3, peakActiveCalls: 30, ceilings: { rpm: 600 } }),
      ],
    });
    expect(diagnose(snapshot, RPM)).toEqual(diagnose(structuredClone(snapshot), RPM));
  });
});
