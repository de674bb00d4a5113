import { formatPercent } from '../format.js';
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
  if (key === undefined) {
    return {
      ...base,
      summary: `${label}: no fan-out, retry, loop, batch or shared-key pattern.`,
      evidence: { node: label },
    };
  }
  const rpm = key.ceilings.rpm?.value;
  const use =
    rpm === undefined
      ? `${key.requestsPerMinute} RPM`
      : `${key.requestsPerMinute} of ${rpm} RPM (${formatPercent(key.requestsPerMinute / rpm)})`;
  return {
    ...base,
    summary: `${label}: ${use}, ${key.rateLimitedPerMinute} 429s per minute, and no fan-out, retry, loop, batch or shared-key pattern.`,
    evidence: {
      requestsPerMinute: key.requestsPerMinute,
      tokensPerMinute: key.tokensPerMinute,
      rateLimitedPerMinute: key.rateLimitedPerMinute,
      ...(rpm !== undefined && { rpmCeiling: rpm }),
    },
  };
}
