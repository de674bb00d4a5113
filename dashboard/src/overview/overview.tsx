import type { KeyView } from '@headroom/contract/wire';
import { KeyCard } from './key-card';

/** A card per key × provider × model, in the collector's order. */
export function Overview({ keys }: { keys: readonly KeyView[] }) {
  return (
    <div className="card-grid" data-testid="key-cards">
      {keys.map((view) => (
        <KeyCard key={`${view.key}|${view.provider}|${view.model}`} view={view} />
      ))}
    </div>
  );
}
