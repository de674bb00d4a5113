import type { KeyView } from '../../view/snapshot.js';
import { formatNumber, formatPercent } from '../format.js';
import type { Diagnosis, Suspects } from './types.js';

/** No cause's evidence is there: say so with the numbers, rather than name a cause that does not fit. */
export function noPattern(series: string, suspects: Suspects | undefined): Diagnosis {
  const base = {
    cause: 'none' as const,
    title: 'No scaling pattern found',
    alternatives: [],
    fix: {
      text: 'Demand itself is near the ceiling: raise the provider limit, spread traffic over another key or model, or cap throughput below the ceiling.',
      snippet: '',
    },
  };
  if (suspects === undefined) {
    return { ...base, summary: `${series} is no longer in the view.`, evidence: { series } };
  }
  const { key, label } = suspects;
  if (key?.guard !== undefined && key.rateLimitedPerMinute === 0) return heldByGuard(key, label);
  if (key === undefined) {
    return {
      ...base,
      summary: `${label}: no fan-out, retry, loop, batch or shared-key pattern.`,
      evidence: { node: label },
    };
  }
  const rpm = key.ceilings.rpm?.value;
  const tpm = key.ceilings.tpm?.value;
  const use =
    rpm === undefined
      ? `${key.requestsPerMinute} RPM`
      : `${key.requestsPerMinute} of ${rpm} RPM (${formatPercent(key.requestsPerMinute / rpm)})`;
  // What is left under each ceiling, the number to plan with when demand itself is the cause.
  const left: string[] = [];
  if (rpm !== undefined) left.push(`${Math.max(0, rpm - key.requestsPerMinute)} RPM`);
  if (tpm !== undefined) left.push(`${Math.max(0, tpm - key.tokensPerMinute)} TPM`);
  const headroom = left.length === 0 ? '' : `, ${left.join(' and ')} of headroom left`;
  return {
    ...base,
    title: 'Demand at the ceiling, no pattern',
    summary: `${label}: demand itself is at the ceiling, ${use}${headroom}; ${key.rateLimitedPerMinute} 429s per minute, and no fan-out, retry, loop, batch or shared-key pattern.`,
    evidence: {
      requestsPerMinute: key.requestsPerMinute,
      tokensPerMinute: key.tokensPerMinute,
      rateLimitedPerMinute: key.rateLimitedPerMinute,
      ...(rpm !== undefined && {
        rpmCeiling: rpm,
        rpmHeadroom: Math.max(0, rpm - key.requestsPerMinute),
      }),
      ...(tpm !== undefined && {
        tpmCeiling: tpm,
        tpmHeadroom: Math.max(0, tpm - key.tokensPerMinute),
      }),
    },
  };
}

/**
 * A guarded key the provider refuses nothing: the guard queues what the quota cannot take now,
 * so however the app fans out, what reaches the provider fits. Healthy; only the wait says how
 * far demand is past the quota.
 */
function heldByGuard(key: KeyView, label: string): Diagnosis {
  const guard = key.guard!;
  const rpm = key.ceilings.rpm?.value;
  const use =
    rpm === undefined
      ? `${key.requestsPerMinute} RPM`
      : `${key.requestsPerMinute} of ${rpm} RPM (${formatPercent(key.requestsPerMinute / rpm)})`;
  const wait =
    guard.averageWaitSeconds === null
      ? ''
      : `, ${formatNumber(guard.averageWaitSeconds)} s mean wait`;
  return {
    cause: 'none',
    title: 'Held under the ceiling by the guard',
    summary: `${label}: the guard keeps the provider at ${use} with no 429s; ${guard.waiting} calls wait in its queue${wait}.`,
    evidence: {
      requestsPerMinute: key.requestsPerMinute,
      rateLimitedPerMinute: 0,
      waitingInGuard: guard.waiting,
      delayedPerMinute: guard.delayedPerMinute,
      ...(guard.averageWaitSeconds !== null && { averageWaitSeconds: guard.averageWaitSeconds }),
      ...(rpm !== undefined && { rpmCeiling: rpm }),
    },
    alternatives: [],
    fix: {
      text: 'Healthy: the guard queues what the quota cannot take now, so nothing is refused. If the wait is too long, raise the provider limit or spread the traffic over another key or model.',
      snippet: '',
    },
  };
}
