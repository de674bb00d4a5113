import '../test/setup';
import type { Incident } from '@headroom/contract/wire';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { keyView } from '../test/fixtures';
import { Overview } from './overview';

const calm = { utilization: { rpm: 0.3 } };

function openIncident(key: string, severity: Incident['severity']): Incident {
  return {
    id: `inc-${key}`,
    subject: `key=${key}|provider=openai|model=gpt-4o-mini`,
    state: 'open',
    firstWarningAt: 0,
    openedAt: 0,
    severity,
    cause: 'none',
    diagnosis: {
      cause: 'none',
      title: 'Demand at the ceiling, no pattern',
      summary: '',
      evidence: {},
      fix: { text: '', snippet: '' },
      alternatives: [],
    },
    timeline: [],
    alerts: [],
  };
}

describe('Overview', () => {
  it('keys in trouble first: critical incident, warning incident, near a ceiling, then the rest by name; idle keys folded away', () => {
    render(
      <Overview
        keys={[
          keyView({ key: 'a-calm', ...calm }),
          keyView({ key: 'b-idle', requestsPerMinute: 0, activeCalls: 0 }),
          keyView({ key: 'c-near', utilization: { rpm: 0.85 } }),
          keyView({ key: 'd-warning', ...calm }),
          keyView({ key: 'e-critical', ...calm }),
          keyView({ key: 'f-calm', ...calm }),
        ]}
        incidents={[
          openIncident('d-warning', 'warning'),
          openIncident('e-critical', 'critical'),
          { ...openIncident('f-calm', 'critical'), state: 'resolved' },
        ]}
      />,
    );
    const shown = within(screen.getByTestId('key-cards'))
      .getAllByTestId('key-card')
      .map((card) => card.dataset.key);
    expect(shown).toEqual(['e-critical', 'd-warning', 'c-near', 'a-calm', 'f-calm']);
    const idle = screen.getByTestId('idle-keys');
    expect(idle.tagName).toBe('DETAILS');
    expect((idle as HTMLDetailsElement).open).toBe(false);
    expect(idle.querySelector('summary')?.textContent).toBe(
      '1 idle key (no request in the last minute)',
    );
    expect(
      within(idle)
        .getAllByTestId('key-card')
        .map((card) => card.dataset.key),
    ).toEqual(['b-idle']);
  });

  it('no idle section when every key has traffic', () => {
    render(<Overview keys={[keyView()]} />);
    expect(screen.queryByTestId('idle-keys')).toBeNull();
  });
});
