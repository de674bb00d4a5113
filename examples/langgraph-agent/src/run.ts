import type { Headroom } from '@headroom/sdk';
import { GraphRecursionError } from '@langchain/langgraph';
import { researchGraph } from './research-graph.js';
import { researchModel, type Tally } from './research-model.js';

export type { Tally } from './research-model.js';

export interface AgentOptions {
  /** The provider's OpenAI-compatible base URL, with its `/v1`. */
  baseURL: string;
  headroom: Headroom;
  /** One `Send` to `research` per topic: the fan-out. */
  topics: string[];
  /** Carry `maxRevisions` in the state, so the critic's loop ends; without it only the recursion limit ends it. */
  hardStop: boolean;
  maxRevisions?: number;
  recursionLimit?: number;
  question?: string;
  apiKey?: string;
  /** The key's name in Headroom (`headroom.key`). */
  key?: string;
  signal?: AbortSignal;
}

export type StopReason = 'hard stop' | 'recursion limit' | 'aborted';

export interface AgentSummary extends Tally {
  stoppedBy: StopReason;
  /** Executions per node in this run: `research` is the fan-out, `write` the loop. */
  executions: Record<string, number>;
  durationSeconds: number;
}

/** One run of the research assistant, instrumented as the graph `research-agent`. */
export async function run({
  baseURL,
  headroom,
  topics,
  hardStop,
  maxRevisions = 3,
  recursionLimit = 25,
  question = 'Why do LLM apps hit 429s as they scale?',
  apiKey = 'sk-example-agent',
  key = 'agent',
  signal,
}: AgentOptions): Promise<AgentSummary> {
  const started = performance.now();
  const model = researchModel({ baseURL, apiKey, key, headroom });
  const graph = headroom.instrument(researchGraph(model), { name: 'research-agent' });
  const executions: Record<string, number> = {};
  let stoppedBy: StopReason = 'hard stop';
  try {
    const input = { question, topics, maxRevisions: hardStop ? maxRevisions : undefined };
    // `updates` yields one chunk per node execution, so executions are counted even when the
    // run ends in a GraphRecursionError and `invoke` would have returned nothing.
    const updates = await graph.stream(input, { streamMode: 'updates', recursionLimit, signal });
    for await (const update of updates) {
      for (const node of Object.keys(update)) executions[node] = (executions[node] ?? 0) + 1;
    }
  } catch (error) {
    if (error instanceof GraphRecursionError) stoppedBy = 'recursion limit';
    else if (signal?.aborted) stoppedBy = 'aborted';
    else throw error;
  }
  return {
    ...model.tally,
    stoppedBy,
    executions,
    durationSeconds: (performance.now() - started) / 1000,
  };
}
