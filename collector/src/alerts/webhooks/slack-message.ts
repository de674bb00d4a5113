import type { Rule, RuleKind } from '../../storage/types.js';
import type { Diagnosis } from '../diagnosis/types.js';
import { formatNumber, formatPercent } from '../format.js';
import type { TransitionDraft } from '../types.js';

/** Slack refuses a header over 150 characters and a section text over 3000. */
const HEADER_LIMIT = 150;
const SECTION_LIMIT = 3000;

export interface SlackMessage {
  /** The notification line, and all a receiver that ignores blocks shows. */
  text: string;
  blocks: Array<Record<string, unknown>>;
}

/** A Slack incoming-webhook body (also what Mattermost and Discord's /slack endpoint read). */
export function slackMessage(
  transition: TransitionDraft,
  rule: Pick<Rule, 'name' | 'kind'> | undefined,
): SlackMessage {
  const name = rule?.name ?? transition.ruleId;
  const state = transition.state.toUpperCase();
  const value = describeValue(rule?.kind, transition.value, transition.threshold);
  const diagnosis = isDiagnosis(transition.diagnosis) ? transition.diagnosis : undefined;
  const text =
    `[${state}] ${transition.severity}: ${name} on ${transition.series}, ${value}` +
    (diagnosis === undefined ? '' : `. ${diagnosis.title}: ${diagnosis.summary}`);
  const blocks: SlackMessage['blocks'] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`${state} ${transition.severity}: ${name}`, HEADER_LIMIT),
      },
    },
    {
      type: 'section',
      fields: [
        field('Series', `\`${transition.series}\``),
        field('Value', value),
        field('Severity', transition.severity),
        field('Rule', name),
      ],
    },
  ];
  if (diagnosis !== undefined) {
    blocks.push(
      section(
        truncate(
          `*${escapeMarkup(diagnosis.title)}*: ${escapeMarkup(diagnosis.summary)}`,
          SECTION_LIMIT,
        ),
      ),
    );
    const fix = truncate(`*Fix*: ${escapeMarkup(diagnosis.fix.text)}`, SECTION_LIMIT / 2);
    // Truncate the code inside its fence, so a long snippet never loses the closing one.
    const code = truncate(escapeMarkup(diagnosis.fix.snippet), SECTION_LIMIT - fix.length - 8);
    blocks.push(section(code === '' ? fix : `${fix}\n\`\`\`${code}\`\`\``));
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `Headroom · ${new Date(transition.at).toISOString()}` }],
  });
  return { text: escapeMarkup(text), blocks };
}

function describeValue(kind: RuleKind | undefined, value: number, threshold: number): string {
  switch (kind) {
    case 'utilization':
      return `${formatPercent(value)} of the ceiling (alert at ${formatPercent(threshold)})`;
    case 'predictive':
      return `ceiling in ${formatNumber(value)} s at the current slope (alert within ${formatNumber(threshold)} s)`;
    case 'rate_limited':
      return `${formatNumber(value)} 429s per minute (alert above ${formatNumber(threshold)})`;
    case 'retry_amplification':
      return `${formatNumber(value)} attempts per call (alert above ${formatNumber(threshold)})`;
    case 'node_executions_per_run':
      return `${formatNumber(value)} executions in one run (alert above ${formatNumber(threshold)})`;
    default:
      return `${formatNumber(value)} (threshold ${formatNumber(threshold)})`;
  }
}

/** The transition's diagnosis is `unknown` (JSON in the store): check its shape before reading it. */
function isDiagnosis(value: unknown): value is Diagnosis {
  if (typeof value !== 'object' || value === null) return false;
  const { title, summary, fix } = value as Partial<Diagnosis>;
  return (
    typeof title === 'string' &&
    typeof summary === 'string' &&
    typeof fix?.text === 'string' &&
    typeof fix.snippet === 'string'
  );
}

function field(label: string, text: string) {
  return { type: 'mrkdwn', text: truncate(`*${label}*\n${escapeMarkup(text)}`, 2000) };
}

/** `text` is already escaped and within the limit. */
function section(text: string) {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** Slack reads `<…>` as links and `&` as entities (its "escaping text" rules): code contains both. */
function escapeMarkup(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
