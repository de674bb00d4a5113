import type { KeyView } from '../../view/snapshot.js';
import { formatNumber, formatPercent } from '../format.js';
import { strongest } from './strongest.js';
import type { Finding, Fix, Suspects } from './types.js';

/**
 * Share of the ceiling at which a fleet (of replicas, or of keys) counts as at the ceiling, and
 * one replica or key as busy alone.
 */
export const SHARED_TRIGGER = 0.8;

type Candidate = Pick<Finding, 'score' | 'summary' | 'evidence'> & { dimension: 'rpm' | 'tpm' };

/**
 * Several key names on one provider budget (`KeyView.budget`): together at or past 0.8 × the
 * budget's rpm or tpm ceiling (the alert's key's ceiling: keys on one budget report the same
 * limit), while none of them alone is. Each key counts all its replicas.
 */
export function sharedBudget({ key, budgetKeys }: Suspects): Finding | undefined {
  const budget = key?.budget;
  if (key === undefined || budget == null || budgetKeys === undefined || budgetKeys.length < 2)
    return undefined;
  const candidates: Candidate[] = [];
  for (const dimension of ['rpm', 'tpm'] as const) {
    const ceiling = key.ceilings[dimension]?.value;
    if (ceiling === undefined) continue;
    // Per minute over the seconds each key has been seen: keys that start together over the
    // budget are over it from their first seconds, before their windows hold a whole minute.
    const use = (view: KeyView) =>
      Math.round(
        ((dimension === 'rpm' ? view.requestsPerMinute : view.tokensPerMinute) * 60) /
          Math.min(60, view.observedSeconds),
      );
    const total = budgetKeys.reduce((sum, view) => sum + use(view), 0);
    const busiest = budgetKeys.reduce((best, view) => (use(view) > use(best) ? view : best));
    if (total < SHARED_TRIGGER * ceiling || use(busiest) >= SHARED_TRIGGER * ceiling) continue;
    const unit = dimension.toUpperCase();
    candidates.push({
      dimension,
      score: total / (SHARED_TRIGGER * ceiling),
      summary:
        `${budgetKeys.length} keys on ${where(key)} together send ${total} ${unit} against its ceiling of ${formatNumber(ceiling)} ` +
        `(${formatPercent(total / ceiling)}); the busiest, ${busiest.key}, alone sends ${use(busiest)} (${formatPercent(use(busiest) / ceiling)})`,
      evidence: {
        dimension,
        budget: budget.id,
        source: budget.source,
        keys: budget.keys.join(', '),
        total,
        ceiling,
        busiestKey: use(busiest),
        shares: budgetKeys
          .map((view) => `${view.key} ${formatPercent(total > 0 ? use(view) / total : 0)}`)
          .join(', '),
      },
    });
  }
  const best = strongest(candidates);
  if (best === undefined) return undefined;
  const { dimension, ...finding } = best;
  return {
    cause: 'shared_key',
    title: 'Budget shared by keys',
    ...finding,
    summary: `${finding.summary}.`,
    fix: fix(key, budgetKeys, dimension),
  };
}

/** `organization org-demo` (`, project proj-b`), or `one budget` when inferred. */
function where(key: KeyView): string {
  const { organization, project } = key.budget!;
  if (organization === undefined) return 'one budget (their remaining quota moves together)';
  return project === undefined
    ? `organization ${organization}`
    : `organization ${organization}, project ${project}`;
}

function fix(key: KeyView, budgetKeys: readonly KeyView[], dimension: 'rpm' | 'tpm'): Fix {
  const budget = key.budget!;
  const names = budget.keys.join(', ');
  const ceiling = key.ceilings[dimension]!.value;
  const unit = dimension.toUpperCase();
  const clients = budgetKeys.length;
  return {
    text:
      `${names} draw on one budget: the provider enforces ${unit} per organization and project, not per key, ` +
      `so giving each key its own guard or ceiling does not keep them under it. Keep one guard budget for the ` +
      `organization: guard every client on it under one guard key, shared through Redis ` +
      `(guard: { redis: 'redis://…' }), so the ${clients} keys are paced together under ${formatNumber(ceiling)} ${unit}. ` +
      `Or move the keys to separate projects with their own limits.`,
    snippet: [
      `// One guard budget for every key of the organization: the guard counts per key name, so the`,
      `// clients share one, and their calls show under that name (ceilings come from the headers).`,
      `const budget = { key: '${budgetName(key)}', guard: { redis: process.env.REDIS_URL } };`,
      ...budget.keys.map(
        (name) =>
          `const ${identifier(name)} = headroom.instrument(new OpenAI({ apiKey: process.env.${envName(name)} }), budget);`,
      ),
    ].join('\n'),
  };
}

/** The organization's name where the budget has one, else the keys'. */
function budgetName(key: KeyView): string {
  const { organization, keys } = key.budget!;
  return organization ?? keys.join('+');
}

function identifier(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  const joined = words
    .map((word, index) =>
      index === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1),
    )
    .join('');
  return /^[A-Za-z_]/.test(joined) ? joined : `client${joined}`;
}

function envName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_API_KEY`;
}
