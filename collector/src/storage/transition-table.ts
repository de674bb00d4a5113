import type { Database } from 'better-sqlite3';
import type { Store } from './store.js';
import type { AlertState, AlertTransition, Severity } from './types.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

interface TransitionRow {
  sequence: number;
  rule_id: string;
  series: string;
  state: string;
  severity: string;
  value: number;
  threshold: number;
  at: number;
  diagnosis: string | null;
  incident_id: string | null;
}

interface TransitionFilter {
  since: number;
  ruleId: string | null;
  state: string | null;
  limit: number;
}

function toTransition(row: TransitionRow): AlertTransition {
  return {
    sequence: row.sequence,
    ruleId: row.rule_id,
    series: row.series,
    state: row.state as AlertState,
    severity: row.severity as Severity,
    value: row.value,
    threshold: row.threshold,
    at: row.at,
    ...(row.diagnosis !== null && { diagnosis: JSON.parse(row.diagnosis) }),
    ...(row.incident_id !== null && { incidentId: row.incident_id }),
  };
}

function checkInteger(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`Expected \`${name}\` to be an integer from ${minimum} up, got ${value}`);
  }
}

export function prepareTransitionTable(
  database: Database,
): Pick<Store, 'appendTransition' | 'listTransitions' | 'pruneTransitions'> {
  const append = database.prepare<Omit<TransitionRow, 'sequence'>, TransitionRow>(`
    INSERT INTO transitions
      (rule_id, series, state, severity, value, threshold, at, diagnosis, incident_id)
    VALUES
      (@rule_id, @series, @state, @severity, @value, @threshold, @at, @diagnosis, @incident_id)
    RETURNING *`);
  // One statement for every combination of filters, so it is prepared once: a null filter
  // matches everything.
  const list = database.prepare<TransitionFilter, TransitionRow>(`
    SELECT * FROM transitions
    WHERE sequence > @since
      AND (@ruleId IS NULL OR rule_id = @ruleId)
      AND (@state IS NULL OR state = @state)
    ORDER BY sequence DESC
    LIMIT @limit`);
  const prune = database.prepare<[number]>('DELETE FROM transitions WHERE at < ?');

  return {
    appendTransition(transition) {
      const row = append.get({
        rule_id: transition.ruleId,
        series: transition.series,
        state: transition.state,
        severity: transition.severity,
        value: transition.value,
        threshold: transition.threshold,
        at: transition.at,
        // JSON.stringify(undefined) is undefined: no diagnosis is stored as NULL, not "null".
        diagnosis: JSON.stringify(transition.diagnosis) ?? null,
        incident_id: transition.incidentId ?? null,
      });
      return toTransition(row!);
    },
    listTransitions({ since = 0, limit = DEFAULT_LIMIT, ruleId, state } = {}) {
      checkInteger('since', since, 0);
      checkInteger('limit', limit, 1);
      return list
        .all({
          since,
          limit: Math.min(limit, MAX_LIMIT),
          ruleId: ruleId ?? null,
          state: state ?? null,
        })
        .map(toTransition);
    },
    pruneTransitions: (olderThan) => prune.run(olderThan).changes,
  };
}
