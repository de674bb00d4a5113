import type { Rule } from '../storage/types.js';
import type { KeyView, NodeView } from '../view/snapshot.js';

type Selector = Rule['selector'];

/** Key rules look at key, provider and model only; an absent field or `*` matches anything. */
export function matchesKey(selector: Selector, key: KeyView): boolean {
  return (
    fits(selector.key, key.key) &&
    fits(selector.provider, key.provider) &&
    fits(selector.model, key.model)
  );
}

/** Node rules look at graph and node only. */
export function matchesNode(selector: Selector, node: NodeView): boolean {
  return fits(selector.graph, node.graph) && fits(selector.node, node.node);
}

function fits(pattern: string | undefined, value: string): boolean {
  return pattern === undefined || pattern === '*' || pattern === value;
}
