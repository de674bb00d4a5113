import type { KeyView } from '../../view/snapshot.js';
import { formatNumber, formatPercent } from '../format.js';
import { SHARED_TRIGGER, sharedBudget } from './shared-budget.js';
import { strongest } from './strongest.js';
import type { Finding, Fix, Suspects } from './types.js';

export { SHARED_TRIGGER };

/** `burst`: the busiest second against rpm/60, the share providers enforce per second. */
type Dimension = 'rpm' | 'tpm' | 'burst';
type Candidate = Pick<Finding, 'score' | 'summary' | 'evidence'> & {
  dimension: Dimension;
  ceiling: number;
};

/**
 * One budget shared: by many replicas on one key, or by several key names on one provider
 * budget (`sharedBudget`). On a tie the replicas' case is named, as the narrower one.
 */
export function sharedKey(suspects: Suspects): Finding | undefined {
  const found = [sharedByReplicas(suspects), sharedBudget(suspects)];
  return strongest(found.filter((finding) => finding !== undefined));
}

/**
 * Many replicas sharing one key: together at or near the ceiling, while none would be alone.
 * Per dimension with a ceiling; tokens per replica are estimated from its share of requests.
 */
function sharedByReplicas({ key }: Suspects): Finding | undefined {
  if (key === undefined || key.replicas.length < 2) return undefined;
  const candidates: Candidate[] = [];
  for (const dimension of ['rpm', 'tpm', 'burst'] as const) {
    const use = measure(key, dimension);
    if (use === undefined) continue;
    const { fleet, busiest, ceiling, unit } = use;
    if (fleet < SHARED_TRIGGER * ceiling || busiest >= SHARED_TRIGGER * ceiling) continue;
    candidates.push({
      dimension,
      ceiling,
      score: fleet / (SHARED_TRIGGER * ceiling),
      summary:
        `${key.replicas.length} replicas together send ${fleet} ${unit} against a ceiling of ${formatNumber(ceiling)} ` +
        `(${formatPercent(fleet / ceiling)}); the busiest alone sends ${busiest} (${formatPercent(busiest / ceiling)})`,
      evidence: {
        dimension,
        replicas: key.replicas.length,
        fleet,
        ceiling,
        busiestReplica: busiest,
        shares: shares(key),
      },
    });
  }
  const best = strongest(candidates);
  if (best === undefined) return undefined;
  const { dimension, ceiling, ...finding } = best;
  return {
    cause: 'shared_key',
    title: 'Key shared by replicas',
    ...finding,
    summary: `${finding.summary}.`,
    // A burst is paced away by the same per-replica share of the rpm ceiling.
    fix: dimension === 'burst' ? fix(key, 'rpm', ceiling * 60) : fix(key, dimension, ceiling),
  };
}

/** The fleet's use of one dimension, the busiest replica's, and the ceiling they are held to. */
function measure(
  key: KeyView,
  dimension: Dimension,
): { fleet: number; busiest: number; ceiling: number; unit: string } | undefined {
  const rpm = key.ceilings.rpm?.value;
  switch (dimension) {
    case 'rpm':
      if (rpm === undefined) return undefined;
      return {
        fleet: key.requestsPerMinute,
        busiest: Math.max(...key.replicas.map((replica) => replica.requestsPerMinute)),
        ceiling: rpm,
        unit: 'RPM',
      };
    case 'tpm': {
      const tpm = key.ceilings.tpm?.value;
      if (tpm === undefined) return undefined;
      const share = Math.max(...key.replicas.map((replica) => replica.share));
      return {
        fleet: key.tokensPerMinute,
        busiest: Math.round(share * key.tokensPerMinute),
        ceiling: tpm,
        unit: 'TPM',
      };
    }
    case 'burst':
      if (rpm === undefined) return undefined;
      return {
        fleet: key.peakRequestsPerSecond,
        busiest: Math.max(...key.replicas.map((replica) => replica.peakRequestsPerSecond)),
        ceiling: rpm / 60,
        unit: 'requests in their busiest second',
      };
  }
}

/** `replica-a 52%, replica-b 48%`, the first 8. */
function shares(key: KeyView): string {
  const listed = key.replicas
    .slice(0, 8)
    .map((replica) => `${replica.instance} ${formatPercent(replica.share)}`);
  return key.replicas.length > 8 ? `${listed.join(', ')}, …` : listed.join(', ');
}

function fix(key: KeyView, dimension: 'rpm' | 'tpm', ceiling: number): Fix {
  const replicas = key.replicas.length;
  const unit = dimension.toUpperCase();
  const perReplica = Math.max(1, Math.floor(ceiling / replicas));
  // Token ceilings pace requests by the tokens a request takes here on average.
  const tokensPerRequest =
    key.requestsPerMinute > 0
      ? Math.max(1, Math.round(key.tokensPerMinute / key.requestsPerMinute))
      : 1000;
  return {
    text:
      `${replicas} replicas share one key: keep one fleet-wide budget (a rate limiter shared through Redis, ` +
      `such as Headroom's guard with guard: { redis: 'redis://…' }), or give each replica a quota of ` +
      `ceiling / replicas (${perReplica} ${unit}).`,
    snippet: [
      `// Each replica takes its share of the key's ceiling, so together they stay under it.`,
      `const ceiling = ${ceiling}; // the key's ${unit} ceiling`,
      `const replicas = Number(process.env.REPLICAS ?? ${replicas});`,
      `const perReplica = Math.floor(ceiling / replicas); // ${perReplica} ${unit} for this replica`,
      dimension === 'rpm'
        ? `const requestsPerMinute = perReplica;`
        : `const requestsPerMinute = perReplica / ${tokensPerRequest}; // about ${tokensPerRequest} tokens a request`,
      ``,
      `// Pace this replica: one request every 60 000 / requestsPerMinute ms.`,
      `const interval = 60_000 / requestsPerMinute;`,
      `let next = 0;`,
      `async function paced<T>(call: () => Promise<T>): Promise<T> {`,
      `  const now = Date.now();`,
      `  const start = Math.max(now, next);`,
      `  next = start + interval;`,
      `  await new Promise((resolve) => setTimeout(resolve, start - now));`,
      `  return call();`,
      `}`,
    ].join('\n'),
  };
}
