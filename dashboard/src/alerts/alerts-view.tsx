import type { ActiveAlert, AlertsResponse, AlertTransition, Rule } from '@headroom/contract/wire';
import { memo, useEffect, useId, useMemo, useState } from 'react';
import { requestJson } from '../api/client';
import { formatDateTime, formatSeries } from '../format/format';
import { formatAlertReading } from './alert-value';
import { asDiagnosis, DiagnosisView } from './diagnosis-view';

export interface AlertsSource {
  alerts(): Promise<AlertsResponse>;
  rules(): Promise<Rule[]>;
}

const defaultSource: AlertsSource = {
  alerts: () => requestJson<AlertsResponse>('api/alerts?limit=200'),
  rules: () => requestJson<Rule[]>('api/rules'),
};

/**
 * Alerts pending or firing now with their diagnosis, and the history of transitions. The
 * history is fetched again when the set of active alerts or their states change (a transition
 * happened), not on every frame.
 */
export function AlertsView({
  active,
  source = defaultSource,
}: {
  active: readonly ActiveAlert[];
  source?: AlertsSource;
}) {
  const signature = active.map((alert) => `${alert.ruleId}|${alert.series}|${alert.state}`).join();
  const [history, setHistory] = useState<AlertTransition[] | undefined>(undefined);
  const [rules, setRules] = useState<ReadonlyMap<string, Rule>>(new Map());
  const [error, setError] = useState<string | undefined>(undefined);
  const [refreshes, setRefreshes] = useState(0);
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const filterId = useId();
  const shown = useMemo(
    () => (history === undefined ? undefined : filterHistory(history, rules, filter)),
    [history, rules, filter],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: the signature and the refresh count are the triggers
  useEffect(() => {
    let current = true;
    Promise.all([source.alerts(), source.rules()]).then(
      ([alerts, ruleList]) => {
        if (!current) return;
        setHistory(alerts.history);
        setRules(new Map(ruleList.map((rule) => [rule.id, rule])));
        setError(undefined);
      },
      (reason: Error) => {
        if (current) setError(reason.message);
      },
    );
    return () => {
      current = false;
    };
  }, [signature, refreshes, source]);

  return (
    <>
      <h3>Active now</h3>
      {active.length === 0 ? (
        <p data-testid="no-active-alerts">No alert is pending or firing.</p>
      ) : (
        <ul className="active-alerts" data-testid="active-alerts">
          {[...active].sort(byUrgency).map((alert) => (
            <ActiveAlertItem
              key={`${alert.ruleId}|${alert.series}`}
              alert={alert}
              open={active.length <= OPEN_DIAGNOSES}
            />
          ))}
        </ul>
      )}
      <div className="row">
        <h3>History</h3>
        <button type="button" onClick={() => setRefreshes((count) => count + 1)}>
          Refresh history
        </button>
      </div>
      {error !== undefined && (
        <p className="form-error" role="alert">
          Could not load the alert history: {error}
        </p>
      )}
      {history !== undefined && history.length > 0 && (
        <fieldset className="history-filter" data-testid="history-filter">
          <legend>Filter the history</legend>
          <label htmlFor={`${filterId}-text`}>Rule, key, node or incident</label>
          <input
            id={`${filterId}-text`}
            name="text"
            type="search"
            value={filter.text}
            onChange={(event) => setFilter({ ...filter, text: event.target.value })}
          />
          <label htmlFor={`${filterId}-state`}>State</label>
          <select
            id={`${filterId}-state`}
            name="state"
            value={filter.state}
            onChange={(event) =>
              setFilter({ ...filter, state: event.target.value as HistoryFilter['state'] })
            }
          >
            <option value="">any</option>
            <option value="pending">pending</option>
            <option value="firing">firing</option>
            <option value="resolved">resolved</option>
          </select>
          <label htmlFor={`${filterId}-severity`}>Severity</label>
          <select
            id={`${filterId}-severity`}
            name="severity"
            value={filter.severity}
            onChange={(event) =>
              setFilter({ ...filter, severity: event.target.value as HistoryFilter['severity'] })
            }
          >
            <option value="">any</option>
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </select>
        </fieldset>
      )}
      {history === undefined || shown === undefined ? (
        <p>Loading…</p>
      ) : history.length === 0 ? (
        <p>No alert has fired yet.</p>
      ) : shown.length === 0 ? (
        <p data-testid="history-none-match">No transition matches the filter.</p>
      ) : (
        <HistoryTable history={shown} rules={rules} />
      )}
    </>
  );
}

interface HistoryFilter {
  /** Matched, case aside, against the rule's name and id, the series in words and the incident id. */
  text: string;
  state: '' | AlertTransition['state'];
  severity: '' | AlertTransition['severity'];
}

const NO_FILTER: HistoryFilter = { text: '', state: '', severity: '' };

export function filterHistory(
  history: readonly AlertTransition[],
  rules: ReadonlyMap<string, Rule>,
  { text, state, severity }: HistoryFilter,
): readonly AlertTransition[] {
  const needle = text.trim().toLowerCase();
  if (needle === '' && state === '' && severity === '') return history;
  return history.filter((transition) => {
    if (state !== '' && transition.state !== state) return false;
    if (severity !== '' && transition.severity !== severity) return false;
    if (needle === '') return true;
    const haystack = [
      rules.get(transition.ruleId)?.name ?? '',
      transition.ruleId,
      transition.series,
      formatSeries(transition.series),
      transition.incidentId ?? '',
    ]
      .join('\n')
      .toLowerCase();
    return haystack.includes(needle);
  });
}

/** Diagnoses are shown open while there are this few active alerts, folded past it. */
const OPEN_DIAGNOSES = 3;

function byUrgency(a: ActiveAlert, b: ActiveAlert): number {
  const rank = (alert: ActiveAlert) =>
    (alert.state === 'firing' ? 0 : 2) + (alert.severity === 'critical' ? 0 : 1);
  return rank(a) - rank(b);
}

/** One active alert; rendered again only when what it shows changed. */
const ActiveAlertItem = memo(
  function ActiveAlertItem({ alert, open }: { alert: ActiveAlert; open: boolean }) {
    return (
      <li
        className={`card alert-card alert-${alert.severity}`}
        data-testid="active-alert"
        data-rule={alert.ruleId}
        data-series={alert.series}
        data-state={alert.state}
        data-severity={alert.severity}
      >
        <p>
          <span className={`tag tag-${alert.severity}`}>{alert.severity}</span>{' '}
          <span className={`tag tag-${alert.state}`}>{alert.state}</span>{' '}
          <strong>{alert.ruleName}</strong> on {formatSeries(alert.series)}
        </p>
        <p className="muted">
          {formatAlertReading(alert.kind, alert.value, alert.threshold)} · since{' '}
          {formatDateTime(alert.firingSince ?? alert.since)}
        </p>
        {alert.diagnosis !== undefined && (
          <details open={open}>
            <summary>Diagnosis: {alert.diagnosis.title}</summary>
            <DiagnosisView diagnosis={alert.diagnosis} />
          </details>
        )}
      </li>
    );
  },
  (before, after) =>
    before.open === after.open &&
    before.alert.value === after.alert.value &&
    before.alert.state === after.alert.state &&
    before.alert.severity === after.alert.severity &&
    before.alert.ruleName === after.alert.ruleName &&
    before.alert.diagnosis?.summary === after.alert.diagnosis?.summary &&
    before.alert.diagnosis?.fix.snippet === after.alert.diagnosis?.fix.snippet,
);

/** The transitions as fetched: rendered again only when a fetch brings new ones. */
const HistoryTable = memo(function HistoryTable({
  history,
  rules,
}: {
  history: readonly AlertTransition[];
  rules: ReadonlyMap<string, Rule>;
}) {
  return (
    <table className="data-table" data-testid="alert-history">
      <caption className="visually-hidden">Alert transitions, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">State</th>
          <th scope="col">Severity</th>
          <th scope="col">Rule</th>
          <th scope="col">Series</th>
          <th scope="col">Value</th>
          <th scope="col">Diagnosis</th>
        </tr>
      </thead>
      <tbody>
        {history.map((transition) => {
          const rule = rules.get(transition.ruleId);
          const diagnosis = asDiagnosis(transition.diagnosis);
          return (
            <tr
              key={transition.sequence}
              data-testid="alert-transition"
              data-sequence={transition.sequence}
            >
              <td>{formatDateTime(transition.at)}</td>
              <td>
                <span className={`tag tag-${transition.state}`}>{transition.state}</span>
              </td>
              <td>
                <span className={`tag tag-${transition.severity}`}>{transition.severity}</span>
              </td>
              <td>{rule?.name ?? transition.ruleId}</td>
              <td>{formatSeries(transition.series)}</td>
              <td>{formatAlertReading(rule?.kind, transition.value, transition.threshold)}</td>
              <td>
                {diagnosis === undefined ? (
                  '—'
                ) : (
                  <details>
                    <summary>{diagnosis.title}</summary>
                    <DiagnosisView diagnosis={diagnosis} />
                  </details>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
});
