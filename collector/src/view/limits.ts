import type { Dropped, Limits } from '@headroom/contract';

export type { Dropped, Limits } from '@headroom/contract';

/**
 * How much the view holds, per kind of state that grows with the data. When a kind is full, the
 * least recently seen entry makes room if it has been silent long enough (see RecencyTable);
 * otherwise the new entry is dropped and counted in `Dropped`. Idle entries are evicted by the
 * once-a-minute prune. The defaults keep 50,000 key series from one replica each within about
 * 600 MiB (collector/bench/cardinality.mjs).
 */
export const DEFAULT_LIMITS: Readonly<Limits> = {
  series: 50_000,
  nodes: 10_000,
  graphs: 1_000,
  replicas: 10_000,
  replicasPerKey: 1_000,
  edges: 10_000,
  streams: 1_000_000,
  // After an hour without data the series' 1-second history is all zeros; its minutes are in
  // the rollups.
  idleSeconds: 3600,
};

/** The defaults with `limits` over them; a value that is not a whole number from 1 up is named. */
export function resolveLimits(limits: Partial<Limits> = {}): Limits {
  const resolved = { ...DEFAULT_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new TypeError(
        `Expected \`limits.${name}\` to be a whole number from 1 up, got ${String(value)}`,
      );
  }
  return resolved;
}

/** Nothing dropped yet. */
export function noneDropped(): Dropped {
  return { series: 0, nodes: 0, graphs: 0, replicas: 0, replicasPerKey: 0, edges: 0, streams: 0 };
}
