import type { KeyView } from '@headroom/contract/wire';
import { formatNumber, formatPercent } from '../format/format';

/**
 * Replicas per key and each one's share of the key's requests: many replicas on one key is
 * one of the five causes (each stays under the quota, together they do not).
 */
export function Fleet({ keys }: { keys: readonly KeyView[] }) {
  if (keys.length === 0) return <p>No keys yet.</p>;
  return (
    <div className="card-grid">
      {keys.map((view) => (
        <article
          key={`${view.key}|${view.provider}|${view.model}`}
          className="card"
          data-testid="fleet-key"
          data-key={view.key}
          data-provider={view.provider}
          data-model={view.model}
        >
          <h3>
            {view.key}{' '}
            <span className="muted">
              · {view.provider} · {view.model}
            </span>
          </h3>
          <p data-metric="replicas.length" data-value={view.replicas.length}>
            {view.replicas.length === 1 ? '1 replica' : `${view.replicas.length} replicas`} ·{' '}
            {formatNumber(view.requestsPerMinute)} requests / min in all
          </p>
          {view.replicas.length === 0 ? (
            <p className="muted">No replica sent requests in the last 60 s.</p>
          ) : (
            <ul className="shares">
              {view.replicas.map((replica) => (
                <li
                  key={replica.instance}
                  data-testid="replica"
                  data-instance={replica.instance}
                  data-value={replica.share}
                >
                  <span className="share-label">
                    <span className="share-name" title={replica.instance}>
                      {replica.service} · {replica.instance}
                    </span>
                    <span>
                      {formatPercent(replica.share)} · {formatNumber(replica.requestsPerMinute)} rpm
                      · {formatNumber(replica.activeCalls)} in flight
                    </span>
                  </span>
                  <span className="bar" aria-hidden="true">
                    <span
                      className="bar-fill"
                      style={{ width: `${Math.min(100, replica.share * 100)}%` }}
                    />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </article>
      ))}
    </div>
  );
}
