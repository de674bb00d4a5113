import { END, type LangGraphRunnableConfig, Send, START, StateGraph } from '@langchain/langgraph';
import { critic } from './critic.js';
import type { ResearchModel } from './research-model.js';
import { type Research, ResearchState } from './research-state.js';

/**
 * The research assistant: `plan` writes an outline, a `Send` per topic fans out to `research`,
 * and `write` drafts the report and loops back to itself while the critic asks for a revision.
 */
export function researchGraph(model: ResearchModel) {
  return new StateGraph(ResearchState)
    .addNode('plan', async (state: Research, config: LangGraphRunnableConfig) => ({
      outline: await model.ask(
        `Outline a report on "${state.question}" covering: ${state.topics.join(', ')}`,
        config.signal,
      ),
    }))
    .addNode('research', async (input: { topic: string }, config: LangGraphRunnableConfig) => ({
      notes: [await answerOrGap(model, `Find the key facts on ${input.topic}`, config.signal)],
    }))
    .addNode('write', async (state: Research, config: LangGraphRunnableConfig) => {
      const previous = state.draft ? `Revise this draft: ${state.draft}\n` : '';
      const prompt = `${previous}Write the report from these notes:\n${state.notes.join('\n')}`;
      const draft = await answerOrGap(model, prompt, config.signal);
      return { draft: draft || state.draft, drafts: 1 };
    })
    .addEdge(START, 'plan')
    .addConditionalEdges(
      'plan',
      (state: Research) => state.topics.map((topic) => new Send('research', { topic })),
      ['research'],
    )
    .addEdge('research', 'write')
    .addConditionalEdges('write', critic, ['write', END])
    .compile();
}

/**
 * A call that failed after the client's retries leaves a gap in the report instead of failing
 * the whole run, as a research assistant would; an abort still ends the run.
 */
async function answerOrGap(model: ResearchModel, prompt: string, signal: AbortSignal | undefined) {
  try {
    return await model.ask(prompt, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    return '';
  }
}
