import type { KeyView } from '@headroom/contract/wire';

const NUMBERS = [
  'requestsPerMinute',
  'tokensPerMinute',
  'activeCalls',
  'peakActiveCalls',
  'peakRequestsPerSecond',
  'callsPerMinute',
  'rateLimitedPerMinute',
  'retryAmplification',
] as const satisfies ReadonlyArray<keyof KeyView>;
const DIMENSIONS = ['rpm', 'tpm', 'concurrency'] as const;

/**
 * Whether a key card would show the same thing: every frame brings new objects, and a card
 * whose figures did not move is not rendered again.
 */
export function sameKeyView(a: KeyView, b: KeyView): boolean {
  if (a === b) return true;
  if (a.key !== b.key || a.provider !== b.provider || a.model !== b.model) return false;
  for (let index = 0; index < NUMBERS.length; index++) {
    const field = NUMBERS[index]!;
    if (a[field] !== b[field]) return false;
  }
  if (a.replicas.length !== b.replicas.length) return false;
  if (!sameGuard(a.guard, b.guard)) return false;
  if (a.utilization.burst !== b.utilization.burst) return false;
  for (let index = 0; index < DIMENSIONS.length; index++) {
    const dimension = DIMENSIONS[index]!;
    if (a.utilization[dimension] !== b.utilization[dimension]) return false;
    const before = a.ceilings[dimension];
    const after = b.ceilings[dimension];
    if (before?.value !== after?.value || before?.source !== after?.source) return false;
  }
  return true;
}

function sameGuard(a: KeyView['guard'], b: KeyView['guard']): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.waiting === b.waiting &&
    a.admittedPerMinute === b.admittedPerMinute &&
    a.delayedPerMinute === b.delayedPerMinute &&
    a.rejectedPerMinute === b.rejectedPerMinute &&
    a.averageWaitSeconds === b.averageWaitSeconds
  );
}
