import '../test/setup';
import type { AlertTransition, Diagnosis, Rule } from '@headroom/contract/wire';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { alert } from '../test/fixtures';
import { AlertBanner } from './alert-banner';
import { type AlertsSource, AlertsView } from './alerts-view';
import { asDiagnosis, DiagnosisView } from './diagnosis-view';

const fanOut: Diagnosis = {
  cause: 'fan_out',
  title: 'Uncontrolled fan-out',
  summary: 'agent/summarize started 40 model calls within one second (fan-out from 8.33).',
  evidence: { node: 'agent/summarize', burstSize: 40, burstTrigger: 8.33 },
  fix: {
    text: 'Bound the model calls in flight.',
    snippet: "import pLimit from 'p-limit';\nconst limit = pLimit(8);",
  },
  alternatives: ['shared_key'],
};

describe('AlertBanner', () => {
  it('is absent while nothing fires, pending alerts included', () => {
    const { container } = render(<AlertBanner alerts={[alert({ state: 'pending' })]} />);
    expect(container.innerHTML).toBe('');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('names the severity, rule and series of what fires, critical first', () => {
    render(
      <AlertBanner
        alerts={[
          alert({
            ruleId: 'default-retry-amplification-warning',
            ruleName: 'Retry amplification above 1.5×',
            kind: 'retry_amplification',
            severity: 'warning',
            series: 'key=prod|provider=openai|model=gpt-4o-mini',
          }),
          alert({ diagnosis: fanOut }),
        ]}
      />,
    );
    const banner = screen.getByRole('alert');
    expect(banner.dataset.testid).toBe('alert-banner');
    expect(within(banner).getByText('2 alerts firing')).toBeTruthy();
    const items = within(banner).getAllByTestId('firing-alert');
    expect(items.map((item) => item.textContent)).toEqual([
      'critical Utilization at 95% of a ceiling on prod · openai · gpt-4o-mini · rpm — likely cause: Uncontrolled fan-out',
      'warning Retry amplification above 1.5× on prod · openai · gpt-4o-mini',
    ]);
    expect(items[0]!.dataset).toMatchObject({
      rule: 'default-utilization-critical',
      severity: 'critical',
      series: 'key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm',
    });
  });
});

describe('DiagnosisView', () => {
  it('shows the cause, the summary, the evidence as a table and the fix as code', () => {
    render(<DiagnosisView diagnosis={fanOut} />);
    const view = screen.getByTestId('diagnosis');
    expect(view.dataset.cause).toBe('fan_out');
    expect(screen.getByTestId('diagnosis-summary').textContent).toBe(fanOut.summary);
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(rows.map((row) => row.textContent)).toEqual([
      'nodeagent/summarize',
      'burst size40',
      'burst trigger8.33',
    ]);
    const code = screen.getByTestId('diagnosis-fix').querySelector('code');
    expect(code?.textContent).toBe(fanOut.fix.snippet);
    expect(view.textContent).toContain('Also consistent with: shared key');
  });

  it('takes a stored diagnosis only when it has the shape', () => {
    expect(asDiagnosis(fanOut)).toEqual(fanOut);
    expect(asDiagnosis({ cause: 'fan_out' })).toBeUndefined();
    expect(asDiagnosis('nope')).toBeUndefined();
  });
});

describe('AlertsView', () => {
  const rules: Rule[] = [
    {
      id: 'default-utilization-critical',
      name: 'Utilization at 95% of a ceiling',
      kind: 'utilization',
      severity: 'critical',
      threshold: 0.95,
      forSeconds: 10,
      clearMargin: 0.05,
      selector: {},
      enabled: true,
      updatedAt: 0,
    },
  ];
  const source: AlertsSource = {
    alerts: async () => ({
      active: [],
      history: [
        {
          sequence: 2,
          ruleId: 'default-utilization-critical',
          series: 'key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm',
          state: 'firing',
          severity: 'critical',
          value: 0.97,
          threshold: 0.95,
          at: Date.now(),
          diagnosis: fanOut,
        },
      ],
    }),
    rules: async () => rules,
  };

  it('lists what is active with values in the rule unit and its diagnosis', () => {
    render(<AlertsView active={[alert({ diagnosis: fanOut })]} source={source} />);
    const item = screen.getByTestId('active-alert');
    expect(item.dataset.state).toBe('firing');
    expect(item.textContent).toContain('97 % of the ceiling (threshold 95 %)');
    expect(within(item).getByTestId('diagnosis').dataset.cause).toBe('fan_out');
  });

  it('shows the history from the API, with rule names and stored diagnoses', async () => {
    render(<AlertsView active={[]} source={source} />);
    const row = await screen.findByTestId('alert-transition');
    expect(row.textContent).toContain('Utilization at 95% of a ceiling');
    expect(row.textContent).toContain('prod · openai · gpt-4o-mini · rpm');
    expect(row.querySelector('summary')?.textContent).toBe('Uncontrolled fan-out');
    expect(within(row).getByTestId('diagnosis').dataset.cause).toBe('fan_out');
    expect(screen.getByTestId('no-active-alerts').textContent).toBe(
      'No alert is pending or firing.',
    );
  });

  it('filters the history by text (rule, key, node or incident), state and severity', async () => {
    const transition = (fields: Partial<AlertTransition>): AlertTransition => ({
      sequence: 1,
      ruleId: 'default-utilization-critical',
      series: 'key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm',
      state: 'firing',
      severity: 'critical',
      value: 0.97,
      threshold: 0.95,
      at: Date.now(),
      ...fields,
    });
    const history = [
      transition({ sequence: 3, state: 'resolved', incidentId: 'inc-abc' }),
      transition({ sequence: 2, incidentId: 'inc-abc' }),
      transition({
        sequence: 1,
        ruleId: 'loop',
        series: 'graph=agent|node=model',
        severity: 'warning',
      }),
    ];
    render(
      <AlertsView
        active={[]}
        source={{ alerts: async () => ({ active: [], history }), rules: async () => rules }}
      />,
    );
    await screen.findAllByTestId('alert-transition');
    const filter = screen.getByTestId('history-filter');
    const rows = () =>
      screen.queryAllByTestId('alert-transition').map((row) => Number(row.dataset.sequence));
    expect(rows()).toEqual([3, 2, 1]);
    fireEvent.change(within(filter).getByLabelText('Rule, key, node or incident'), {
      target: { value: 'INC-ABC' },
    });
    expect(rows()).toEqual([3, 2]);
    fireEvent.change(within(filter).getByLabelText('State'), { target: { value: 'firing' } });
    expect(rows()).toEqual([2]);
    fireEvent.change(within(filter).getByLabelText('Rule, key, node or incident'), {
      target: { value: 'no such key' },
    });
    expect(screen.getByTestId('history-none-match').textContent).toBe(
      'No transition matches the filter.',
    );
    fireEvent.change(within(filter).getByLabelText('Rule, key, node or incident'), {
      target: { value: '' },
    });
    fireEvent.change(within(filter).getByLabelText('State'), { target: { value: '' } });
    fireEvent.change(within(filter).getByLabelText('Severity'), { target: { value: 'warning' } });
    expect(rows()).toEqual([1]);
    fireEvent.change(within(filter).getByLabelText('Severity'), { target: { value: '' } });
    fireEvent.change(within(filter).getByLabelText('Rule, key, node or incident'), {
      target: { value: 'agent · model' },
    });
    expect(rows()).toEqual([1]);
  });

  it('says so when the history cannot be loaded', async () => {
    render(
      <AlertsView
        active={[]}
        source={{ alerts: async () => Promise.reject(new Error('offline')), rules: async () => [] }}
      />,
    );
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Could not load the alert history: offline',
      ),
    );
  });
});
