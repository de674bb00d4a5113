import { END } from '@langchain/langgraph';
import type { Research } from './research-state.js';

/**
 * The critic behind the `write` loop. A model-backed critic is never satisfied often enough to be
 * relied on, so this one is honest about it: it always asks for a revision. Only the hard stop,
 * `maxRevisions` in the state, ends the loop; without it the run ends at the recursion limit.
 */
export function critic(state: Research): 'write' | typeof END {
  const revisions = state.drafts - 1;
  return state.maxRevisions !== undefined && revisions >= state.maxRevisions ? END : 'write';
}
