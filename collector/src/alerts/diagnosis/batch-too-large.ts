import type { KeyView } from '../../view/snapshot.js';
import { formatNumber } from '../format.js';
import { nodeBurstTrigger } from './fan-out.js';
import type { Finding, Fix, Suspects } from './types.js';

/** The busiest second against the minute's average per second that makes a spike. */
export const BATCH_FACTOR = 5;
/** Fewer requests than this in one second is not a batch, whatever the average. */
const MIN_BATCH = 5;

/**
 * Batches too large: requests arrive in spikes the window's average hides, and no graph node
 * bursts (a node burst is a fan-out, and its fix is a different one).
 */
export function batchTooLarge({ key, nodes }: Suspects): Finding | undefined {
  if (key === undefined) return undefined;
  // Over the seconds the key has been seen: a key 10 s old has not had a quiet minute.
  const average = key.requestsPerMinute / key.observedSeconds;
  const peak = key.peakRequestsPerSecond;
  if (average <= 0 || peak < MIN_BATCH || peak < BATCH_FACTOR * average) return undefined;
  const trigger = nodeBurstTrigger(key);
  if (nodes.some((node) => node.burstSize >= trigger)) return undefined;
  const rpm = key.ceilings.rpm?.value;
  return {
    cause: 'batch_too_large',
    title: 'Batch too large',
    score: peak / (BATCH_FACTOR * average),
    summary:
      `${peak} requests in the busiest second against ${formatNumber(average)} per second on average ` +
      `(${formatNumber(peak / average)}×)${rpm === undefined ? '' : `; the quota allows ${formatNumber(rpm / 60)} per second`}.`,
    evidence: {
      busiestSecond: peak,
      averagePerSecond: Math.round(average * 100) / 100,
      ...(rpm !== undefined && { perSecondShare: Math.round((rpm / 60) * 100) / 100 }),
    },
    fix: fix(key),
  };
}

function fix(key: KeyView): Fix {
  const rpm = key.ceilings.rpm?.value;
  const size = rpm === undefined ? undefined : Math.max(1, Math.floor(rpm / 60));
  return {
    text:
      `Size batches from the quota and pace them: providers enforce rpm/60 in short windows, ` +
      `so send ${size === undefined ? 'rpm/60' : size} requests a second rather than the whole batch at once, ` +
      `or let Headroom's guard pace any batch to the quota (guard: true on the client).`,
    snippet: [
      `const rpm = ${rpm ?? 500}; // the key's requests-per-minute ceiling`,
      `const seconds = 1; // providers quantize the minute to short windows: pace by the second`,
      `const batchSize = Math.max(1, Math.floor((rpm / 60) * seconds));`,
      ``,
      `for (let start = 0; start < items.length; start += batchSize) {`,
      `  const began = Date.now();`,
      `  await Promise.all(items.slice(start, start + batchSize).map((item) => model.invoke(item)));`,
      `  // Wait out the rest of the slot so the next batch starts on the quota's pace.`,
      `  await new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds * 1000 - (Date.now() - began))));`,
      `}`,
    ].join('\n'),
  };
}
