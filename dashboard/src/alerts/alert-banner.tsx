import type { ActiveAlert } from '@headroom/contract/wire';
import { formatSeries } from '../format/format';

const SHOWN = 3;

/**
 * At the top of the page while any alert fires: severity, rule and series in words. Values are
 * left to the alerts section, so the alert region is read out when the set changes, not on
 * every frame.
 */
export function AlertBanner({ alerts }: { alerts: readonly ActiveAlert[] }) {
  const firing = alerts.filter((alert) => alert.state === 'firing');
  if (firing.length === 0) return null;
  firing.sort(bySeverity);
  const critical = firing.some((alert) => alert.severity === 'critical');
  return (
    <div
      className={`alert-banner alert-banner-${critical ? 'critical' : 'warning'}`}
      role="alert"
      data-testid="alert-banner"
    >
      <p className="alert-banner-title">
        {firing.length === 1 ? '1 alert firing' : `${firing.length} alerts firing`}
      </p>
      <ul>
        {firing.slice(0, SHOWN).map((alert) => (
          <li
            key={`${alert.ruleId}|${alert.series}`}
            data-testid="firing-alert"
            data-rule={alert.ruleId}
            data-series={alert.series}
            data-severity={alert.severity}
          >
            <span className={`tag tag-${alert.severity}`}>{alert.severity}</span>{' '}
            <strong>{alert.ruleName}</strong> on {formatSeries(alert.series)}
            {alert.diagnosis !== undefined && alert.diagnosis.cause !== 'none' && (
              <> — likely cause: {alert.diagnosis.title}</>
            )}
          </li>
        ))}
      </ul>
      {firing.length > SHOWN && (
        <p>
          and {firing.length - SHOWN} more. <a href="#alerts">See all alerts</a>
        </p>
      )}
      {firing.length <= SHOWN && (
        <p>
          <a href="#alerts">Diagnosis and fix</a>
        </p>
      )}
    </div>
  );
}

function bySeverity(a: ActiveAlert, b: ActiveAlert): number {
  return (a.severity === 'critical' ? 0 : 1) - (b.severity === 'critical' ? 0 : 1);
}
