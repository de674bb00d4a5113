import type { Database } from 'better-sqlite3';
import type { Store } from './store.js';
import type { Rule, RuleKind, Severity } from './types.js';

interface RuleRow {
  id: string;
  name: string;
  kind: string;
  severity: string;
  threshold: number;
  within_seconds: number | null;
  for_seconds: number;
  clear_margin: number;
  selector: string;
  enabled: number;
  updated_at: number;
}

function toRule(row: RuleRow): Rule {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as RuleKind,
    severity: row.severity as Severity,
    threshold: row.threshold,
    ...(row.within_seconds !== null && { withinSeconds: row.within_seconds }),
    forSeconds: row.for_seconds,
    clearMargin: row.clear_margin,
    selector: JSON.parse(row.selector),
    enabled: row.enabled === 1,
    updatedAt: row.updated_at,
  };
}

export function prepareRuleTable(
  database: Database,
): Pick<Store, 'listRules' | 'getRule' | 'putRule' | 'deleteRule'> {
  const list = database.prepare<[], RuleRow>('SELECT * FROM rules ORDER BY rowid');
  const get = database.prepare<[string], RuleRow>('SELECT * FROM rules WHERE id = ?');
  const put = database.prepare<RuleRow, RuleRow>(`
    INSERT INTO rules (id, name, kind, severity, threshold, within_seconds, for_seconds,
      clear_margin, selector, enabled, updated_at)
    VALUES (@id, @name, @kind, @severity, @threshold, @within_seconds, @for_seconds,
      @clear_margin, @selector, @enabled, @updated_at)
    ON CONFLICT (id) DO UPDATE SET
      name = excluded.name, kind = excluded.kind, severity = excluded.severity,
      threshold = excluded.threshold, within_seconds = excluded.within_seconds,
      for_seconds = excluded.for_seconds, clear_margin = excluded.clear_margin,
      selector = excluded.selector, enabled = excluded.enabled, updated_at = excluded.updated_at
    RETURNING *`);
  const remove = database.prepare<[string]>('DELETE FROM rules WHERE id = ?');

  return {
    listRules: () => list.all().map(toRule),
    getRule(id) {
      const row = get.get(id);
      return row && toRule(row);
    },
    putRule(rule) {
      const row = put.get({
        id: rule.id,
        name: rule.name,
        kind: rule.kind,
        severity: rule.severity,
        threshold: rule.threshold,
        within_seconds: rule.withinSeconds ?? null,
        for_seconds: rule.forSeconds,
        clear_margin: rule.clearMargin,
        selector: JSON.stringify(rule.selector),
        enabled: rule.enabled ? 1 : 0,
        updated_at: rule.updatedAt,
      });
      return toRule(row!);
    },
    deleteRule: (id) => remove.run(id).changes > 0,
  };
}
