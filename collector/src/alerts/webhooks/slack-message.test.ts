import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../diagnosis/types.js';
import { START } from '../test-helpers.js';
import type { TransitionDraft } from '../types.js';
import { slackMessage } from './slack-message.js';

const diagnosis: Diagnosis = {
  cause: 'stacked_retries',
  title: 'Stacked retries',
  summary: '2.4 HTTP attempts per logical call, 37 429s per minute.',
  evidence: { attemptsPerCall: 2.4 },
  fix: { text: 'Keep one retry layer & honour retry-after.', snippet: 'withBackoff<T>(call)' },
  alternatives: [],
};

const firing: TransitionDraft = {
  ruleId: 'rpm-critical',
  series: 'key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm',
  state: 'firing',
  severity: 'critical',
  value: 0.934,
  threshold: 0.9,
  at: START,
  diagnosis,
};

describe('slackMessage', () => {
  it('is a Slack body with severity, rule, series, value against threshold, diagnosis and fix, escaped', () => {
    expect(slackMessage(firing, { name: 'RPM at ceiling', kind: 'utilization' })).toEqual({
      text:
        '[FIRING] critical: RPM at ceiling on key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm, ' +
        '93% of the ceiling (alert at 90%). Stacked retries: 2.4 HTTP attempts per logical call, 37 429s per minute.',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'FIRING critical: RPM at ceiling' } },
        {
          type: 'section',
          fields: [
            {
              type: 'mrkdwn',
              text: '*Series*\n`key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm`',
            },
            { type: 'mrkdwn', text: '*Value*\n93% of the ceiling (alert at 90%)' },
            { type: 'mrkdwn', text: '*Severity*\ncritical' },
            { type: 'mrkdwn', text: '*Rule*\nRPM at ceiling' },
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
            text: '*Fix*: Keep one retry layer &amp; honour retry-after.\n```withBackoff&lt;T&gt;(call)```',
          },
        },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: 'Headroom · 2026-11-26T09:00:00.000Z' }],
        },
      ],
    });
  });

  it('a resolved transition of a deleted rule names the rule by id and has no diagnosis blocks', () => {
    const message = slackMessage(
      { ...firing, state: 'resolved', value: 0.5, diagnosis: undefined },
      undefined,
    );
    expect(message.text).toBe(
      '[RESOLVED] critical: rpm-critical on key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm, 0.5 (threshold 0.9)',
    );
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context']);
  });

  it('keeps within Slack limits and never cuts the closing code fence', () => {
    const long = { ...diagnosis, fix: { text: 'x', snippet: 'y'.repeat(5000) } };
    const fix = slackMessage({ ...firing, diagnosis: long }, undefined).blocks[3] as {
      text: { text: string };
    };
    expect(fix.text.text.length).toBeLessThanOrEqual(3000);
    expect(fix.text.text.endsWith('…```')).toBe(true);
  });
});
