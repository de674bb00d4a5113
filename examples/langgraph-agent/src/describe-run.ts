import type { AgentSummary } from './run.js';

/** One line per run: what ended the `write` loop, and what it cost at the provider. */
export function describeRun(
  summary: AgentSummary,
  hardStop: boolean,
  recursionLimit: number,
): string {
  const drafts = summary.executions.write ?? 0;
  const draftsText = drafts === 1 ? '1 draft' : `${drafts} drafts`;
  const ending = {
    'hard stop': `the hard stop ended the loop after ${draftsText}`,
    'recursion limit': `\`write\` looped ${drafts} times until GraphRecursionError (recursionLimit ${recursionLimit})`,
    aborted: `stopped by the end of the example after ${draftsText}`,
  }[summary.stoppedBy];
  const mode = hardStop ? 'with hard stop' : 'no hard stop  ';
  return `${mode} | ${summary.executions.research ?? 0} topics researched in parallel, ${ending} | ${summary.calls} calls, ${summary.succeeded} ok, ${summary.failed} failed, ${summary.rateLimited} × 429 | ${summary.durationSeconds.toFixed(1)} s`;
}
