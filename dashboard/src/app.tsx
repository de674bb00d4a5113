import { memo } from 'react';
import { AlertBanner } from './alerts/alert-banner';
import { AlertsView } from './alerts/alerts-view';
import { ChartsSection } from './charts/charts-section';
import { ConnectionStatus } from './connection/connection-status';
import { FirstRun } from './first-run/first-run';
import { Fleet } from './fleet/fleet';
import { GraphSection } from './graph/graph-view';
import { IncidentsView } from './incidents/incidents-view';
import { DroppedNotice } from './limits/dropped-notice';
import { useLiveState } from './live/use-live';
import { Overview } from './overview/overview';
import { Settings } from './settings/settings';

/** id, link text, and whether the section shows only once there is data. */
const SECTIONS = [
  ['incidents', 'Incidents', false],
  ['overview', 'Headroom', false],
  ['charts', 'Charts', true],
  ['graph', 'Graph', true],
  ['fleet', 'Fleet', true],
  ['alerts', 'Alerts', false],
  ['settings', 'Ceilings and alerts', false],
] as const;

/** The one page: incidents, headroom per key, charts, graph, fleet, alerts, settings. */
export function App() {
  const { connection, snapshot, alerts, incidents } = useLiveState();
  const hasKeys = snapshot !== undefined && snapshot.keys.length > 0;
  const hasData = hasKeys || (snapshot !== undefined && snapshot.nodes.length > 0);
  const firing = alerts.filter((alert) => alert.state === 'firing').length;
  const open = incidents.filter((incident) => incident.state === 'open').length;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the figures
      </a>
      <header className="topbar">
        <h1>
          Headroom <span className="muted">live rate-limit headroom</span>
        </h1>
        <nav aria-label="Sections">
          <ul className="nav-list">
            {SECTIONS.filter(([, , needsData]) => hasData || !needsData).map(([id, label]) => (
              <li key={id}>
                <a href={`#${id}`}>
                  {label}
                  {id === 'alerts' && firing > 0 && (
                    <span className="tag tag-critical">{firing} firing</span>
                  )}
                  {id === 'incidents' && open > 0 && (
                    <span className="tag tag-critical">{open} open</span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <ConnectionStatus connection={connection} />
      </header>
      <AlertBanner alerts={alerts} />
      <DroppedNotice
        {...(snapshot?.dropped === undefined ? {} : { dropped: snapshot.dropped })}
        {...(snapshot?.limits === undefined ? {} : { limits: snapshot.limits })}
      />
      <main id="main" tabIndex={-1} className={connection === 'retrying' ? 'stale' : undefined}>
        <section id="incidents" aria-labelledby="incidents-title">
          <h2 id="incidents-title">Incidents</h2>
          <IncidentsView incidents={incidents} />
        </section>
        <section id="overview" aria-labelledby="overview-title">
          <h2 id="overview-title">Headroom per key</h2>
          {snapshot === undefined ? (
            <p data-testid="waiting">Waiting for the first frame from the collector…</p>
          ) : hasKeys ? (
            <Overview keys={snapshot.keys} incidents={incidents} />
          ) : (
            <FirstRun />
          )}
        </section>
        {hasData && (
          <>
            <section id="charts" aria-labelledby="charts-title">
              <h2 id="charts-title">Live charts</h2>
              <ChartsSection />
            </section>
            <section id="graph" aria-labelledby="graph-title">
              <h2 id="graph-title">Graph</h2>
              <GraphSection
                nodes={snapshot!.nodes}
                graphs={snapshot!.graphs}
                edges={snapshot!.edges}
              />
            </section>
            <section id="fleet" aria-labelledby="fleet-title">
              <h2 id="fleet-title">Fleet</h2>
              <Fleet keys={snapshot!.keys} />
            </section>
          </>
        )}
        <section id="alerts" aria-labelledby="alerts-title">
          <h2 id="alerts-title">Alerts</h2>
          <AlertsView active={alerts} />
        </section>
        <section id="settings" aria-labelledby="settings-title">
          <h2 id="settings-title">Ceilings and alerts</h2>
          <StaticSettings />
        </section>
      </main>
    </>
  );
}

/** The forms do not depend on the live frames: they are not rendered again for each one. */
const StaticSettings = memo(Settings);
