import { burstThreshold } from '../../view/call-bursts.js';
import type { KeyView } from '../../view/snapshot.js';
import { formatNumber, formatPercent } from '../format.js';
import type { Finding, Fix, Suspects } from './types.js';

/** Share of the batches sent as the one before was done past which the summary says so. */
const MOSTLY_BACK_TO_BACK = 0.75;

/** Whether the key's call starts are batches: a regular train of bursts (see `callBursts`). */
export function isBatchTrain(key: KeyView): boolean {
  return key.bursts?.regular === true;
}

/**
 * Batches too large: the key's calls start in bursts of about the same size at a steady period,
 * each burst more than one second of the quota holds: the same call site bursting again and
 * again, with the next batch as soon as the last is done or after a pause (the quiet seconds
 * between do not make the bursts fit). Scored on the batch against the quota's per-second share.
 */
export function batchTooLarge({ key }: Suspects): Finding | undefined {
  if (key === undefined || !isBatchTrain(key)) return undefined;
  const bursts = key.bursts!;
  const threshold = burstThreshold(key.ceilings.rpm?.value);
  const fits = fittingBatch(key);
  const period = bursts.periodSeconds!;
  return {
    cause: 'batch_too_large',
    title: 'Batch too large',
    score: bursts.size / threshold,
    summary:
      `${bursts.count} batches of about ${bursts.size} calls, one every ${formatNumber(period)} s, ` +
      (bursts.backToBack >= MOSTLY_BACK_TO_BACK
        ? `${formatPercent(bursts.backToBack)} of them as soon as the one before was done`
        : `calls in flight ${formatPercent(bursts.dutyCycle)} of the time, quiet seconds between`) +
      (fits === undefined ? '.' : `; one second of the quota holds a batch of ${fits}.`),
    evidence: {
      batches: bursts.count,
      batchSize: bursts.size,
      periodSeconds: period,
      dutyCycle: bursts.dutyCycle,
      backToBack: bursts.backToBack,
      ...(fits !== undefined && { batchSizeThatFits: fits }),
      busiestSecond: key.peakRequestsPerSecond,
    },
    fix: fix(fits),
  };
}

/**
 * The batch one second of the quota holds: rpm/60 requests, and tpm/60 tokens at the key's
 * tokens per call. Undefined with neither ceiling.
 */
function fittingBatch(key: KeyView): number | undefined {
  const rpm = key.ceilings.rpm?.value;
  const tpm = key.ceilings.tpm?.value;
  const tokensPerCall = key.callsPerMinute > 0 ? key.tokensPerMinute / key.callsPerMinute : 0;
  const limits: number[] = [];
  if (rpm !== undefined) limits.push(rpm / 60);
  if (tpm !== undefined && tokensPerCall > 0) limits.push(tpm / 60 / tokensPerCall);
  if (limits.length === 0) return undefined;
  return Math.max(1, Math.floor(Math.min(...limits)));
}

function fix(size: number | undefined): Fix {
  return {
    text:
      `Size batches from the quota and pace them: providers enforce rpm/60 in short windows, ` +
      `so send ${size === undefined ? 'rpm/60' : size} requests a second rather than the whole batch at once, ` +
      `or let Headroom's guard pace any batch to the quota (guard: true on the client).`,
    snippet: [
      `const batchSize = ${size ?? 'Math.max(1, Math.floor(rpm / 60))'}; // what one second of the key's quota holds`,
      ``,
      `for (let start = 0; start < items.length; start += batchSize) {`,
      `  const began = Date.now();`,
      `  await Promise.all(items.slice(start, start + batchSize).map((item) => model.invoke(item)));`,
      `  // Wait out the rest of the second so the next batch starts on the quota's pace.`,
      `  await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - began))));`,
      `}`,
    ].join('\n'),
  };
}
