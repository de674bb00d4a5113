import type { Incident, KeyView } from '@headroom/contract/wire';
import { KeyCard } from './key-card';

/** Utilization at which a key counts as near its ceiling: the warning band's start. */
const NEAR = 0.8;

/**
 * A card per key × provider × model, the keys in trouble first: those with an open incident
 * (critical before warning), then those near a ceiling, then the rest with traffic, each group by
 * name so cards move only when their trouble changes. Idle keys (no request in the window,
 * nothing in flight) are folded away below.
 */
export function Overview({
  keys,
  incidents = [],
}: {
  keys: readonly KeyView[];
  incidents?: readonly Incident[];
}) {
  const severity = new Map<string, number>();
  for (const incident of incidents) {
    if (incident.state !== 'open') continue;
    const rank = incident.severity === 'critical' ? 2 : 1;
    severity.set(incident.subject, Math.max(rank, severity.get(incident.subject) ?? 0));
  }
  const tier = (view: KeyView): number => {
    const rank = severity.get(`key=${view.key}|provider=${view.provider}|model=${view.model}`);
    if (rank !== undefined) return 2 - rank;
    const peak = Math.max(0, ...Object.values(view.utilization).map((value) => value ?? 0));
    return peak >= NEAR ? 2 : 3;
  };
  const active = keys.filter((view) => !isIdle(view));
  const idle = keys.filter(isIdle);
  const ordered = active
    .map((view) => ({ view, tier: tier(view) }))
    .sort((a, b) => a.tier - b.tier || byName(a.view, b.view))
    .map(({ view }) => view);
  return (
    <>
      <div className="card-grid" data-testid="key-cards">
        {ordered.map((view) => (
          <KeyCard key={`${view.key}|${view.provider}|${view.model}`} view={view} />
        ))}
      </div>
      {idle.length > 0 && (
        <details className="idle-keys" data-testid="idle-keys">
          <summary>
            {idle.length === 1 ? '1 idle key' : `${idle.length} idle keys`} (no request in the last
            minute)
          </summary>
          <div className="card-grid">
            {[...idle].sort(byName).map((view) => (
              <KeyCard key={`${view.key}|${view.provider}|${view.model}`} view={view} />
            ))}
          </div>
        </details>
      )}
    </>
  );
}

function isIdle(view: KeyView): boolean {
  return view.requestsPerMinute === 0 && view.activeCalls === 0;
}

function byName(a: KeyView, b: KeyView): number {
  return compare(a.key, b.key) || compare(a.provider, b.provider) || compare(a.model, b.model);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
