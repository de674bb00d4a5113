import type { KeyView, NodeView } from '../view/snapshot.js';

/** `key=prod|provider=openai|model=gpt-4o-mini`: the id alerts, history and webhooks share. */
export function keySeries(key: Pick<KeyView, 'key' | 'provider' | 'model'>): string {
  return `key=${key.key}|provider=${key.provider}|model=${key.model}`;
}

/** `graph=agent|node=summarize`. */
export function nodeSeries(node: Pick<NodeView, 'graph' | 'node'>): string {
  return `graph=${node.graph}|node=${node.node}`;
}

/** Utilization and predictive rules alert per dimension of a key. */
export function dimensionSeries(
  key: Pick<KeyView, 'key' | 'provider' | 'model'>,
  dimension: string,
): string {
  return `${keySeries(key)}|dimension=${dimension}`;
}
