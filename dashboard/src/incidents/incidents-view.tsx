import type { Incident, IncidentEvent } from '@headroom/contract/wire';
import { CAUSE_LABEL, DiagnosisView } from '../alerts/diagnosis-view';
import { formatDateTime, formatPercent, formatSeries } from '../format/format';

/**
 * The incidents first: one card each, open ones before resolved ones, with the cause, the
 * severity, the timeline, the evidence and the fix, and the alerts that make it up.
 */
export function IncidentsView({ incidents }: { incidents: readonly Incident[] }) {
  if (incidents.length === 0) {
    return (
      <p className="muted" data-testid="no-incidents">
        No incident open or resolved in the last hour.
      </p>
    );
  }
  return (
    <ol className="incident-list" data-testid="incidents">
      {incidents.map((incident) => (
        <li key={incident.id}>
          <IncidentCard incident={incident} />
        </li>
      ))}
    </ol>
  );
}

function IncidentCard({ incident }: { incident: Incident }) {
  const open = incident.state === 'open';
  const firing = incident.alerts.filter(
    (alert) => alert.firingSince !== undefined && alert.resolvedAt === undefined,
  );
  return (
    <article
      className={`incident incident-${incident.severity}${open ? '' : ' incident-resolved'}`}
      data-testid="incident"
      data-incident={incident.id}
      data-state={incident.state}
      data-cause={incident.cause}
      aria-labelledby={`${incident.id}-title`}
    >
      <header className="incident-header">
        <h3 id={`${incident.id}-title`}>
          <span className={`tag tag-${incident.severity}`}>{incident.severity}</span>{' '}
          <span className={`tag ${open ? 'tag-firing' : 'tag-resolved'}`}>
            {open ? 'open' : 'resolved'}
          </span>{' '}
          {formatSeries(incident.subject)}: {incident.diagnosis.title}
        </h3>
        <p className="muted">
          cause: {CAUSE_LABEL[incident.cause] ?? incident.cause} · opened{' '}
          {formatDateTime(incident.openedAt)}
          {incident.resolvedAt !== undefined && (
            <> · resolved {formatDateTime(incident.resolvedAt)}</>
          )}
          {incident.peakUtilization !== undefined && (
            <>
              {' '}
              · peak {formatPercent(incident.peakUtilization.value)} of{' '}
              {incident.peakUtilization.dimension}
            </>
          )}
        </p>
      </header>
      <DiagnosisView diagnosis={incident.diagnosis} />
      <details open={open}>
        <summary>Timeline</summary>
        <ol className="incident-timeline" data-testid="incident-timeline">
          {incident.timeline.map((event) => (
            <li key={`${event.kind}-${event.at}`} data-kind={event.kind}>
              <time dateTime={new Date(event.at).toISOString()}>{formatDateTime(event.at)}</time>{' '}
              {describeEvent(event)}
            </li>
          ))}
        </ol>
      </details>
      <details>
        <summary>
          Alerts ({firing.length} firing of {incident.alerts.length})
        </summary>
        <ul data-testid="incident-alerts">
          {incident.alerts.map((alert) => (
            <li key={`${alert.ruleId}|${alert.series}`}>
              <span className={`tag tag-${alert.severity}`}>{alert.severity}</span>{' '}
              <strong>{alert.ruleName}</strong> on {formatSeries(alert.series)}
              {alert.resolvedAt === undefined
                ? alert.firingSince === undefined
                  ? ' (pending)'
                  : ' (firing)'
                : ' (resolved)'}
            </li>
          ))}
        </ul>
      </details>
    </article>
  );
}

function describeEvent(event: IncidentEvent): string {
  if (
    event.kind === 'cause_changed' &&
    event.previousCause !== undefined &&
    event.cause !== undefined
  )
    return `${event.text} (was ${CAUSE_LABEL[event.previousCause]}, now ${CAUSE_LABEL[event.cause]})`;
  return event.text;
}
