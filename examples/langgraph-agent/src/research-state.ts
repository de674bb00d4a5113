import { Annotation } from '@langchain/langgraph';

/** What the research assistant carries from node to node. */
export const ResearchState = Annotation.Root({
  question: Annotation<string>,
  topics: Annotation<string[]>,
  outline: Annotation<string>,
  // Each `research` execution of the fan-out appends its note; they all land in one superstep.
  notes: Annotation<string[]>({ reducer: (left, right) => left.concat(right), default: () => [] }),
  draft: Annotation<string>,
  drafts: Annotation<number>({ reducer: (left, right) => left + right, default: () => 0 }),
  /** The hard stop: at most this many revisions after the first draft. Absent, the loop runs on. */
  maxRevisions: Annotation<number | undefined>,
});

export type Research = typeof ResearchState.State;
