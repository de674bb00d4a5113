import type { Cause, Diagnosis, GraphView, KeyView, NodeView } from '@headroom/contract';

export type { Cause, Diagnosis, Fix } from '@headroom/contract';

/** One cause's case: `score` is how far its strongest signal is past that signal's trigger (≥ 1). */
export interface Finding extends Omit<Diagnosis, 'alternatives' | 'cause'> {
  cause: Cause;
  score: number;
}

/** What a diagnosis may look at for one alert's series. */
export interface Suspects {
  /** `prod/openai/gpt-4o-mini` or `agent/summarize`. */
  label: string;
  /** The key the alert is on; absent for a node alert. */
  key?: KeyView;
  /** The keys on the same budget as `key` (`KeyView.budget`), `key` included; absent with none. */
  budgetKeys?: KeyView[];
  /** Nodes that may be calling the key, or the alert's own node. */
  nodes: NodeView[];
  /** The graphs of those nodes. */
  graphs: GraphView[];
}
