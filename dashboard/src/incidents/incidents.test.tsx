import '../test/setup';
import type { Incident } from '@headroom/contract/wire';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatFieldName, formatPercent } from '../format/format';
import { IncidentsView } from './incidents-view';

const OPENED = Date.UTC(2026, 11, 2, 16, 0, 0);

const incident: Incident = {
  id: 'inc-1',
  subject: 'key=prod|provider=openai|model=gpt-4o-mini',
  state: 'open',
  firstWarningAt: OPENED - 10_000,
  openedAt: OPENED,
  severity: 'critical',
  cause: 'stacked_retries',
  diagnosis: {
    cause: 'stacked_retries',
    title: 'Stacked retries',
    summary: '2.4 HTTP attempts per logical call, 37 429s per minute.',
    evidence: { attemptsPerCall: 2.4, rateLimitedPerMinute: 37 },
    fix: { text: 'Keep exactly one retry layer.', snippet: 'new OpenAI({ maxRetries: 0 })' },
    alternatives: ['fan_out'],
  },
  peakUtilization: { value: 1.12, dimension: 'rpm', at: OPENED + 20_000 },
  firstRateLimitedAt: OPENED + 5000,
  timeline: [
    { at: OPENED - 10_000, kind: 'first_warning', text: 'Utilization at 80% went pending' },
    { at: OPENED, kind: 'opened', text: 'Utilization at 80% fired (warning)', severity: 'warning' },
    { at: OPENED, kind: 'cause_decided', text: 'Cause: Uncontrolled fan-out', cause: 'fan_out' },
    {
      at: OPENED + 30_000,
      kind: 'cause_changed',
      text: 'Cause changed: Stacked retries',
      cause: 'stacked_retries',
      previousCause: 'fan_out',
    },
  ],
  alerts: [
    {
      ruleId: 'util',
      ruleName: 'Utilization at 80%',
      kind: 'utilization',
      series: 'key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm',
      severity: 'warning',
      firingSince: OPENED,
    },
    {
      ruleId: 'any-429',
      ruleName: 'Any 429',
      kind: 'rate_limited',
      series: 'key=prod|provider=openai|model=gpt-4o-mini',
      severity: 'critical',
      firingSince: OPENED + 5000,
      resolvedAt: OPENED + 60_000,
    },
  ],
};

describe('IncidentsView', () => {
  it('one card per incident: severity, state, where, cause, evidence in words, fix, timeline, alerts', () => {
    render(
      <IncidentsView
        incidents={[incident, { ...incident, id: 'inc-0', state: 'resolved', resolvedAt: OPENED }]}
      />,
    );
    const cards = screen.getAllByTestId('incident');
    expect(cards.map((card) => [card.dataset.incident, card.dataset.state])).toEqual([
      ['inc-1', 'open'],
      ['inc-0', 'resolved'],
    ]);
    const card = cards[0]!;
    expect(within(card).getByRole('heading').textContent).toBe(
      'critical open prod · openai · gpt-4o-mini: Stacked retries',
    );
    expect(card.textContent).toContain('cause: stacked retries');
    expect(card.textContent).toContain(`peak ${formatPercent(1.12)} of rpm`);
    const rows = within(within(card).getByRole('table')).getAllByRole('row');
    expect(rows.map((row) => row.textContent)).toEqual([
      'attempts per call2.4',
      'rate limited per minute37',
    ]);
    expect(within(card).getByTestId('diagnosis-fix').textContent).toBe(
      'new OpenAI({ maxRetries: 0 })',
    );
    const timeline = within(card).getByTestId('incident-timeline').querySelectorAll('li');
    expect([...timeline].map((item) => item.dataset.kind)).toEqual([
      'first_warning',
      'opened',
      'cause_decided',
      'cause_changed',
    ]);
    expect(timeline[3]!.textContent).toBe(
      `${formatDateTime(OPENED + 30_000)} Cause changed: Stacked retries (was fan-out, now stacked retries)`,
    );
    expect(
      [...within(card).getByTestId('incident-alerts').querySelectorAll('li')].map(
        (item) => item.textContent,
      ),
    ).toEqual([
      'warning Utilization at 80% on prod · openai · gpt-4o-mini · rpm (firing)',
      'critical Any 429 on prod · openai · gpt-4o-mini (resolved)',
    ]);
  });

  it('says so when there is none', () => {
    render(<IncidentsView incidents={[]} />);
    expect(screen.getByTestId('no-incidents').textContent).toBe(
      'No incident open or resolved in the last hour.',
    );
  });
});

describe('dates and names', () => {
  it('dates are year first, 24-hour, with the time zone, in any locale', () => {
    expect(formatDateTime(Date.UTC(2026, 11, 2, 16, 31, 5), 'UTC')).toBe('2026-12-02 16:31:05 UTC');
    expect(formatDateTime(Date.UTC(2026, 11, 2, 16, 31, 5), 'Asia/Tokyo')).toBe(
      '2026-12-03 01:31:05 GMT+9',
    );
  });

  it('evidence names read as words', () => {
    expect(formatFieldName('attemptsPerCall')).toBe('attempts per call');
    expect(formatFieldName('node')).toBe('node');
  });
});
