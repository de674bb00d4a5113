import { describe, expect, it } from 'vitest';
import { START } from '../test-helpers.js';
import { slackMessage, subjectLabel } from './slack-message.js';
import { incident, notice, webhook } from './test-helpers.js';

const hook = webhook('https://hooks.slack.com/services/T/B/x');

describe('slackMessage', () => {
  it('an opened incident: where, severity, cause, the evidence in numbers and the fix, escaped', () => {
    const message = slackMessage(
      notice(hook, 'opened', {
        diagnosis: {
          ...incident.diagnosis,
          cause: 'stacked_retries',
          title: 'Stacked retries',
          summary: '2.4 HTTP attempts per logical call, 37 429s per minute.',
          evidence: { attemptsPerCall: 2.4, rateLimitedPerMinute: 37.333 },
          fix: {
            text: 'Keep one retry layer & honour retry-after.',
            snippet: 'withBackoff<T>(call)',
          },
        },
        peakUtilization: { value: 1.04, dimension: 'rpm', at: START + 3000 },
        firstRateLimitedAt: START + 2000,
      }),
    );
    expect(message).toEqual({
      text: '[INCIDENT] critical incident on prod/openai/gpt-4o-mini: Stacked retries. 2.4 HTTP attempts per logical call, 37 429s per minute.',
      blocks: [
        {
          type: 'header',
          text: {
            type: 'plain_text',
            text: 'Incident, critical: Stacked retries on prod/openai/gpt-4o-mini',
          },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Where*\n`prod/openai/gpt-4o-mini`' },
            { type: 'mrkdwn', text: '*Severity*\ncritical' },
            { type: 'mrkdwn', text: '*Cause*\nStacked retries' },
            { type: 'mrkdwn', text: '*Opened*\n2026-11-26T09:00:00.000Z' },
            { type: 'mrkdwn', text: '*Peak*\n104% of rpm at 2026-11-26T09:00:03.000Z' },
            { type: 'mrkdwn', text: '*First 429*\n2026-11-26T09:00:02.000Z' },
            { type: 'mrkdwn', text: '*Alerts firing*\nRPM at ceiling' },
          ],
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Stacked retries*: 2.4 HTTP attempts per logical call, 37 429s per minute.',
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Evidence*: attempts per call: 2.4 · rate limited per minute: 37.33',
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Fix*: Keep one retry layer &amp; honour retry-after.\n```withBackoff&lt;T&gt;(call)```',
          },
        },
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: 'Headroom · incident inc-1 · 2026-11-26T09:00:00.000Z' },
          ],
        },
      ],
    });
  });

  it('a resolved incident says how long it lasted, and has no fix', () => {
    const message = slackMessage({
      ...notice(hook, 'resolved', { state: 'resolved', resolvedAt: START + 300_000 }),
      at: START + 300_000,
    });
    expect(message.text).toBe(
      '[RESOLVED] critical incident on prod/openai/gpt-4o-mini: Uncontrolled fan-out (after 5 min)',
    );
    expect(JSON.stringify(message.blocks)).not.toContain('*Fix*');
  });

  it('keeps within Slack limits and never cuts the closing code fence', () => {
    const long = { ...incident.diagnosis, fix: { text: 'x', snippet: 'y'.repeat(5000) } };
    const { blocks } = slackMessage(notice(hook, 'reminder', { diagnosis: long }));
    const fix = blocks.at(-2) as { text: { text: string } };
    expect(fix.text.text.length).toBeLessThanOrEqual(3000);
    expect(fix.text.text.endsWith('…```')).toBe(true);
  });

  it('names a subject as people read it', () => {
    expect(subjectLabel('key=prod|provider=openai|model=gpt-4o-mini')).toBe(
      'prod/openai/gpt-4o-mini',
    );
    expect(subjectLabel('graph=agent|node=model')).toBe('agent/model');
  });
});
