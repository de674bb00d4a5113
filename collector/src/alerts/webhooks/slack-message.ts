import { formatNumber, formatPercent } from '../format.js';
import type { IncidentNotice, NoticeReason } from '../incidents/incident-notices.js';

/** Slack refuses a header over 150 characters and a section text over 3000. */
const HEADER_LIMIT = 150;
const SECTION_LIMIT = 3000;

export interface SlackMessage {
  /** The notification line, and all a receiver that ignores blocks shows. */
  text: string;
  blocks: Array<Record<string, unknown>>;
}

const HEADLINE: Record<NoticeReason, string> = {
  opened: 'Incident',
  severity_raised: 'Escalated',
  cause_changed: 'Cause changed',
  reminder: 'Still open',
  resolved: 'Resolved',
};

/**
 * A Slack incoming-webhook body for one incident notice (also what Mattermost and Discord's
 * /slack endpoint read): what happened, the cause, the evidence in numbers and the fix.
 */
export function slackMessage(
  notice: Pick<IncidentNotice, 'incident' | 'reason' | 'at'>,
): SlackMessage {
  const { incident, reason } = notice;
  const { diagnosis } = incident;
  const where = subjectLabel(incident.subject);
  const headline = HEADLINE[reason];
  const text =
    `[${headline.toUpperCase()}] ${incident.severity} incident on ${where}: ${diagnosis.title}` +
    (reason === 'resolved'
      ? ` (${describeDuration(incident.openedAt, incident.resolvedAt ?? notice.at)})`
      : `. ${diagnosis.summary}`);
  const firing = incident.alerts.filter(
    (alert) => alert.firingSince !== undefined && alert.resolvedAt === undefined,
  );
  const fields = [
    field('Where', `\`${where}\``),
    field('Severity', incident.severity),
    field('Cause', diagnosis.title),
    field('Opened', new Date(incident.openedAt).toISOString()),
  ];
  if (incident.peakUtilization !== undefined) {
    const peak = incident.peakUtilization;
    fields.push(
      field(
        'Peak',
        `${formatPercent(peak.value)} of ${peak.dimension} at ${new Date(peak.at).toISOString()}`,
      ),
    );
  }
  if (incident.firstRateLimitedAt !== undefined)
    fields.push(field('First 429', new Date(incident.firstRateLimitedAt).toISOString()));
  if (reason !== 'resolved')
    fields.push(field('Alerts firing', firing.map((alert) => alert.ruleName).join(', ') || 'none'));
  const blocks: SlackMessage['blocks'] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(
          `${headline}, ${incident.severity}: ${diagnosis.title} on ${where}`,
          HEADER_LIMIT,
        ),
      },
    },
    { type: 'section', fields: fields.slice(0, 10) },
    section(
      truncate(
        `*${escapeMarkup(diagnosis.title)}*: ${escapeMarkup(diagnosis.summary)}`,
        SECTION_LIMIT,
      ),
    ),
  ];
  const evidence = Object.entries(diagnosis.evidence)
    .map(
      ([name, value]) =>
        `${words(name)}: ${typeof value === 'number' ? formatNumber(value) : value}`,
    )
    .join(' · ');
  if (evidence !== '')
    blocks.push(section(truncate(`*Evidence*: ${escapeMarkup(evidence)}`, SECTION_LIMIT)));
  if (reason !== 'resolved') {
    const fix = truncate(`*Fix*: ${escapeMarkup(diagnosis.fix.text)}`, SECTION_LIMIT / 2);
    // Truncate the code inside its fence, so a long snippet never loses the closing one.
    const code = truncate(escapeMarkup(diagnosis.fix.snippet), SECTION_LIMIT - fix.length - 8);
    blocks.push(section(code === '' ? fix : `${fix}\n\`\`\`${code}\`\`\``));
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Headroom · incident ${incident.id} · ${new Date(notice.at).toISOString()}`,
      },
    ],
  });
  return { text: escapeMarkup(text), blocks };
}

/** `key=prod|provider=openai|model=gpt-4o-mini` → `prod/openai/gpt-4o-mini`; nodes alike. */
export function subjectLabel(subject: string): string {
  return subject
    .split('|')
    .map((part) => part.slice(part.indexOf('=') + 1))
    .join('/');
}

/** `attemptsPerCall` → `attempts per call`. */
function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function describeDuration(from: number, to: number): string {
  const seconds = Math.max(0, Math.round((to - from) / 1000));
  if (seconds < 120) return `after ${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `after ${minutes} min` : `after ${formatNumber(minutes / 60)} h`;
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
