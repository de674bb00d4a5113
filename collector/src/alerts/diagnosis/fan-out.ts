import { burstThreshold, MAX_BURST_THRESHOLD } from '../../view/call-bursts.js';
import type { KeyView } from '../../view/snapshot.js';
import { formatNumber, formatPercent } from '../format.js';
import { isBatchTrain } from './batch-too-large.js';
import {
  appRepeatShare,
  attemptsPerAskedCall,
  RETRY_AMPLIFICATION_TRIGGER,
} from './stacked-retries.js';
import { strongest } from './strongest.js';
import type { Finding, Fix, Suspects } from './types.js';

/** Calls in flight at once (or node executions side by side) that no sequential code produces. */
export const FAN_OUT_IN_FLIGHT = MAX_BURST_THRESHOLD;

/**
 * Calls one node starts within one second past which they are a fan-out: the quota's per-second
 * share (rpm/60: the provider refuses past it, so as many as it fit), but between 3 and 10.
 */
export function nodeBurstTrigger(key: KeyView | undefined): number {
  return burstThreshold(key?.ceilings.rpm?.value);
}

/** How far above the mean calls started per second a second must be to count as a burst. */
export const BURST_OVER_MEAN = 3;
/** The fewest seconds a key's mean rate is taken over: one second's rate is its own burst. */
export const MIN_RATE_SECONDS = 3;

type Candidate = Pick<Finding, 'score' | 'summary' | 'evidence'>;

/**
 * Uncontrolled fan-out: Promise.all over model calls, parallel branches, LangGraph Send.
 * Signals: a node's burst against the per-second share, a node's executions side by side, and
 * the key's peak in flight against 10 (or its concurrency ceiling if lower).
 */
export function fanOut({ key, nodes }: Suspects): Finding | undefined {
  // Bursts that come back as a regular train (the same size at a steady period) are batches:
  // the same calls in flight are their evidence, not a fan-out's.
  if (key !== undefined && isBatchTrain(key)) return undefined;
  const candidates: Candidate[] = [];
  const burstTrigger = nodeBurstTrigger(key);
  for (const node of nodes) {
    const name = `${node.graph}/${node.node}`;
    // Calls started together count only as far as they ran side by side: a node re-entered in
    // a tight loop starts several calls in one second too, one after the other.
    const together = Math.min(node.burstSize, node.peakActiveExecutions);
    if (together > burstTrigger) {
      candidates.push({
        score: together / burstTrigger,
        summary: `${name} started ${node.burstSize} model calls within one second, ${node.peakActiveExecutions} side by side (fan-out from ${formatNumber(burstTrigger)})`,
        evidence: {
          node: name,
          burstSize: node.burstSize,
          burstTrigger: round(burstTrigger),
          peakActiveExecutions: node.peakActiveExecutions,
        },
      });
    }
    if (node.peakActiveExecutions >= FAN_OUT_IN_FLIGHT) {
      candidates.push({
        score: node.peakActiveExecutions / FAN_OUT_IN_FLIGHT,
        summary: `${name} ran ${node.peakActiveExecutions} times side by side (parallel branches or Send)`,
        evidence: {
          node: name,
          peakActiveExecutions: node.peakActiveExecutions,
          burstSize: node.burstSize,
        },
      });
    }
  }
  if (key !== undefined) {
    // Many calls started in the same second, whatever node made them: the mark of a fan-out,
    // which retries (spread over their backoffs) do not leave. A burst stands out of the rate
    // (over the seconds the key has been seen, at least `MIN_RATE_SECONDS`): steady demand
    // starting as many every second is demand, not a fan-out. It counts only as far as the calls
    // were in flight together: a fast sequential stream starts many a second, one at a time.
    // Summed over several replicas it is theirs together: the shared key's busiest second, not
    // one site's.
    const meanPerSecond =
      key.callsStartedPerMinute / Math.max(MIN_RATE_SECONDS, Math.min(60, key.observedSeconds));
    const together = Math.min(key.peakCallsStartedPerSecond, key.peakActiveCalls);
    if (
      key.replicas.length <= 1 &&
      together > burstTrigger &&
      key.peakCallsStartedPerSecond >= BURST_OVER_MEAN * meanPerSecond
    ) {
      candidates.push({
        score: together / burstTrigger,
        summary: `${key.peakCallsStartedPerSecond} model calls started within one second, ${key.peakActiveCalls} in flight at peak (fan-out from ${formatNumber(burstTrigger)})`,
        evidence: {
          callsStartedInOneSecond: key.peakCallsStartedPerSecond,
          burstTrigger: round(burstTrigger),
          peakActiveCalls: key.peakActiveCalls,
        },
      });
    }
    const concurrency = key.ceilings.concurrency?.value;
    const trigger = Math.min(FAN_OUT_IN_FLIGHT, concurrency ?? FAN_OUT_IN_FLIGHT);
    // A call that retries stays in flight through its attempts and backoffs: under stacked
    // retries the calls in flight grow with the attempts per call, not with what the app sends
    // at once, so they are judged per attempt.
    const amplification = attemptsPerAskedCall(key) ?? 1;
    const perAttempt = amplification > RETRY_AMPLIFICATION_TRIGGER ? amplification : 1;
    if (key.peakActiveCalls >= trigger * perAttempt) {
      candidates.push({
        score: key.peakActiveCalls / trigger / perAttempt,
        summary: `${key.peakActiveCalls} calls in flight at peak${concurrency === undefined ? '' : ` against a concurrency ceiling of ${concurrency}`}`,
        evidence: {
          peakActiveCalls: key.peakActiveCalls,
          activeCalls: key.activeCalls,
          ...(concurrency !== undefined && { concurrencyCeiling: concurrency }),
          ...(perAttempt > 1 && { attemptsPerCall: perAttempt }),
        },
      });
    }
  }
  // Calls that repeat an identical one still in flight or just failed are the app retrying:
  // they inflate the calls in flight and the bursts, so only the rest count for a fan-out.
  const repeats = key === undefined ? 0 : appRepeatShare(key);
  const best = strongest(
    repeats === 0
      ? candidates
      : candidates
          .map((candidate) => ({ ...candidate, score: candidate.score * (1 - repeats) }))
          .filter((candidate) => candidate.score >= 1),
  );
  if (best === undefined) return undefined;
  return {
    cause: 'fan_out',
    title: 'Uncontrolled fan-out',
    ...best,
    summary:
      repeats === 0
        ? `${best.summary}.`
        : `${best.summary}, though ${formatPercent(repeats)} of the calls started repeat an identical one (the app retrying).`,
    evidence: repeats === 0 ? best.evidence : { ...best.evidence, appRepeatShare: round(repeats) },
    fix: fix(key),
  };
}

function fix(key: KeyView | undefined): Fix {
  const limit = suggestedLimit(key);
  return {
    text:
      `Bound the model calls in flight: put a semaphore or queue around them (at most ${limit} at once, ` +
      `the per-second share of the quota) and give LangGraph a maxConcurrency, or let Headroom's ` +
      `guard queue them under the key's ceilings (guard: true on the client).`,
    snippet: [
      `import pLimit from 'p-limit';`,
      ``,
      `// At most ${limit} model ${limit === 1 ? 'call' : 'calls'} in flight, however many items or branches there are.`,
      `const limit = pLimit(${limit});`,
      `const answers = await Promise.all(items.map((item) => limit(() => model.invoke(item))));`,
      ``,
      `// LangGraph: at most ${limit} ${limit === 1 ? 'branch or Send target runs' : 'branches or Send targets run'} at once.`,
      `await graph.invoke(input, { maxConcurrency: ${limit} });`,
      ``,
      `// Or Headroom's guard: calls past the key's ceilings wait in its queue instead of getting 429s.`,
      `const openai = headroom.instrument(new OpenAI(), { guard: true });`,
    ].join('\n'),
  };
}

function suggestedLimit(key: KeyView | undefined): number {
  const concurrency = key?.ceilings.concurrency?.value;
  if (concurrency !== undefined) return Math.max(1, Math.floor(concurrency * 0.8));
  const rpm = key?.ceilings.rpm?.value;
  if (rpm !== undefined) return Math.max(1, Math.floor(rpm / 60));
  return 8;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
