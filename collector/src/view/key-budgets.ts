import type { KeyBudget, KeyView } from '@headroom/contract';
import { type KeySeries, live } from './key-series.js';

/** How close a key's `limit − remaining` must come to the requests it is compared with. */
export const REMAINING_TOLERANCE = 0.1;
/** Fewer admitted requests than this over the window are too few to tell budgets apart. */
export const MIN_BUDGET_REQUESTS = 10;

/** A key series and the view just made of it. */
export interface BudgetEntry {
  series: KeySeries;
  view: KeyView;
}

/**
 * The budgets several key names draw on together (provider × model each, as providers limit per
 * model), by the key views on them. Keys on none are not in the map.
 *
 * - `organization`: keys whose latest ratelimit gauges named the same organization, and the same
 *   project or none, are one budget: that is where OpenAI enforces its limits.
 * - `remaining`: keys that named no organization, with the same learned rpm and tpm ceilings.
 *   Each key's `used` is its learned request limit less its latest `remaining` reading (the
 *   requests the provider counts against the budget in its minute), and `own` its admitted
 *   requests over the window (attempts less 429s). A key whose `used` is within 10 % of its
 *   `own` is explained by itself and stands alone. The others, by `used` from the highest, form
 *   groups whose `used` lie within 10 % of the group's highest; a group of two or more keys with
 *   at least 10 admitted requests in all is one budget when every key's `used` is within 10 %
 *   of the group's summed `own`. Two independent keys with equal ceilings fail: each one's
 *   `remaining` follows its own requests. A key with ≥ 90 % of a budget's requests cannot be
 *   told from a key alone, so it is not grouped.
 */
export function keyBudgets(
  entries: readonly BudgetEntry[],
  second: number,
): Map<KeyView, KeyBudget> {
  const budgets = new Map<KeyView, KeyBudget>();
  const byOrganization = new Map<string, BudgetEntry[]>();
  /** By scope and ceilings; the scope is kept to name the budgets found. */
  const byCeilings = new Map<string, { scope: string; entries: BudgetEntry[] }>();
  for (const entry of entries) {
    const { series } = entry;
    const scope = `provider=${series.provider}|model=${series.model}`;
    if (series.account !== undefined) {
      const { organization, project } = series.account;
      const id = `organization=${organization}${project === undefined ? '' : `|project=${project}`}|${scope}`;
      const group = byOrganization.get(id);
      if (group === undefined) byOrganization.set(id, [entry]);
      else group.push(entry);
      continue;
    }
    const limit = series.learned.requests;
    const remaining = series.remaining.requests;
    if (limit === undefined || limit <= 0 || remaining === undefined) continue;
    if (!live(remaining.seenAt, second)) continue;
    const tokens = series.learned.tokens ?? series.learned.input_tokens ?? 'none';
    const ceilings = `${scope}|rpm=${limit}|tpm=${tokens}`;
    const group = byCeilings.get(ceilings);
    if (group === undefined) byCeilings.set(ceilings, { scope, entries: [entry] });
    else group.entries.push(entry);
  }
  for (const [id, group] of byOrganization) {
    if (group.length >= 2) assign(budgets, id, 'organization', group);
  }
  for (const { scope, entries: group } of byCeilings.values()) {
    for (const found of movingTogether(group)) {
      const names = found.map((entry) => entry.view.key).sort();
      assign(budgets, `remaining=${names.join(',')}|${scope}`, 'remaining', found);
    }
  }
  return budgets;
}

/** The groups of keys (equal ceilings, no organization) whose `remaining` follows them all. */
function movingTogether(entries: readonly BudgetEntry[]): BudgetEntry[][] {
  const keys = entries
    .map((entry) => ({
      entry,
      used: entry.series.learned.requests! - entry.series.remaining.requests!.value,
      own: Math.max(0, entry.view.requestsPerMinute - entry.view.rateLimitedPerMinute),
    }))
    .filter(({ used, own }) => !within(used, own, used))
    .sort((a, b) => b.used - a.used || a.entry.view.key.localeCompare(b.entry.view.key));
  const found: BudgetEntry[][] = [];
  for (let start = 0; start < keys.length; ) {
    const highest = keys[start]!.used;
    let end = start + 1;
    while (end < keys.length && within(keys[end]!.used, highest, highest)) end++;
    const group = keys.slice(start, end);
    const total = group.reduce((sum, key) => sum + key.own, 0);
    if (
      group.length >= 2 &&
      total >= MIN_BUDGET_REQUESTS &&
      group.every((key) => within(key.used, total, total))
    ) {
      found.push(group.map((key) => key.entry));
    }
    start = end;
  }
  return found;
}

/** |value − target| ≤ 10 % of `scale`. */
function within(value: number, target: number, scale: number): boolean {
  return Math.abs(value - target) <= REMAINING_TOLERANCE * scale;
}

function assign(
  budgets: Map<KeyView, KeyBudget>,
  id: string,
  source: KeyBudget['source'],
  entries: readonly BudgetEntry[],
): void {
  const views = entries.map((entry) => entry.view);
  const budget: KeyBudget = {
    id,
    source,
    ...entries[0]!.series.account,
    keys: views.map((view) => view.key).sort(),
    requestsPerMinute: views.reduce((sum, view) => sum + view.requestsPerMinute, 0),
    tokensPerMinute: views.reduce((sum, view) => sum + view.tokensPerMinute, 0),
  };
  for (const view of views) budgets.set(view, budget);
}
