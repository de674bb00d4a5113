import type { GraphView, KeyView, NodeView } from '../../view/snapshot.js';

/** The five patterns that push an app into 429s as it scales (see DESIGN.md). */
export type Cause = 'fan_out' | 'stacked_retries' | 'graph_loop' | 'batch_too_large' | 'shared_key';

export interface Fix {
  text: string;
  /** Code to paste and adapt; numbers come from this key's ceiling. */
  snippet: string;
}

export interface Diagnosis {
  /** `none` when no pattern's evidence is there: demand itself is near the ceiling. */
  cause: Cause | 'none';
  title: string;
  /** One line, with the numbers. */
  summary: string;
  evidence: Record<string, number | string>;
  fix: Fix;
  /** Other causes whose evidence is also there, strongest first. */
  alternatives: Cause[];
}

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
  /** Nodes that may be calling the key, or the alert's own node. */
  nodes: NodeView[];
  /** The graphs of those nodes. */
  graphs: GraphView[];
}
