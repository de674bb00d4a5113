import type { Dropped, Limits } from '@headroom/contract/wire';
import { formatNumber } from '../format/format';

/** What each limit counts, one and many, and how to raise it. */
const KINDS: ReadonlyArray<[keyof Dropped, string, string, string]> = [
  ['series', 'series', 'series', '--max-series'],
  ['nodes', 'graph node', 'graph nodes', 'limits.nodes'],
  ['graphs', 'graph', 'graphs', 'limits.graphs'],
  ['replicas', 'replica', 'replicas', 'limits.replicas'],
  // The key still counts their calls; only the per-replica figures are missing.
  ['replicasPerKey', 'replica of a key', 'replicas of a key', 'limits.replicasPerKey'],
  ['edges', 'graph edge', 'graph edges', 'limits.edges'],
  ['streams', 'counter stream', 'counter streams', 'limits.streams'],
];

/**
 * One line per limit that turned data away, so a view that is missing series says so instead of
 * looking complete. Nothing when nothing was dropped, or from a collector that sends no counts.
 */
export function DroppedNotice({ dropped, limits }: { dropped?: Dropped; limits?: Limits }) {
  if (dropped === undefined || limits === undefined) return null;
  const lines = KINDS.filter(([kind]) => dropped[kind] > 0);
  if (lines.length === 0) return null;
  return (
    <div className="dropped-notice" role="status" data-testid="dropped-notice">
      {lines.map(([kind, one, many, raise]) => (
        <p key={kind} data-kind={kind}>
          {formatNumber(dropped[kind])} {dropped[kind] === 1 ? one : many} over the collector's
          limit of {formatNumber(limits[kind])} {dropped[kind] === 1 ? 'was' : 'were'} dropped;
          raise <code>{raise}</code>
        </p>
      ))}
    </div>
  );
}
