import '../test/setup';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { keyView } from '../test/fixtures';
import { KeyCard } from './key-card';

function meter(dimension: string): HTMLElement {
  return screen
    .getAllByTestId('headroom')
    .find((element) => element.dataset.dimension === dimension)!;
}

const text = (element: Element, testId: string) =>
  element.querySelector(`[data-testid="${testId}"]`)?.textContent;

const value = (element: Element, metric: string) =>
  element.querySelector<HTMLElement>(`[data-metric="${metric}"]`)?.dataset.value;

describe('KeyCard', () => {
  it('shows use against each ceiling as headroom left, in words and numbers', () => {
    render(<KeyCard view={keyView()} />);
    expect(text(meter('rpm'), 'headroom-text')).toBe('RPM 420 / 500 · 16 % headroom');
    expect(text(meter('tpm'), 'headroom-text')).toBe('TPM 182,400 / 200,000 · 8 % headroom');
    expect(meter('tpm').dataset.level).toBe('warning');
    expect(meter('tpm').textContent).toContain('warning');
    expect(meter('rpm').dataset.level).toBe('warning');
  });

  it('RPM counts the attempts the provider saw: those it refused are shown apart from those it admitted', () => {
    render(<KeyCard view={keyView({ requestsPerMinute: 900, rateLimitedPerMinute: 480 })} />);
    expect(text(meter('rpm'), 'admitted-refused')).toBe(' (420 admitted, 480 refused)');
    expect(meter('tpm').querySelector('[data-testid="admitted-refused"]')).toBeNull();
  });

  it('with no 429s there is nothing apart to show', () => {
    render(<KeyCard view={keyView({ rateLimitedPerMinute: 0 })} />);
    expect(meter('rpm').querySelector('[data-testid="admitted-refused"]')).toBeNull();
  });

  it('a guarded key: the concurrency meter counts the calls at the provider, not those waiting in the guard', () => {
    render(<KeyCard view={keyView({ activeCalls: 55, activeAtProvider: 5 })} />);
    expect(value(meter('concurrency'), 'activeAtProvider')).toBe('5');
  });

  it('marks each ceiling learned or configured, in text', () => {
    render(<KeyCard view={keyView()} />);
    expect(text(meter('rpm'), 'ceiling-source')).toBe('learned');
    expect(text(meter('tpm'), 'ceiling-source')).toBe('configured');
    expect(value(meter('rpm'), 'ceilings.rpm')).toBe('500');
    expect(
      meter('rpm').querySelector('[data-metric="ceilings.rpm"]')?.getAttribute('data-source'),
    ).toBe('learned');
  });

  it('says when a dimension has no ceiling, without a bar reading or a marker', () => {
    render(<KeyCard view={keyView()} />);
    const concurrency = meter('concurrency');
    expect(text(concurrency, 'headroom-text')).toBe('In flight 7 · no ceiling');
    expect(concurrency.dataset.level).toBe('none');
    expect(text(concurrency, 'ceiling-source')).toBeUndefined();
    expect(value(concurrency, 'ceilings.concurrency')).toBe('null');
    expect(value(concurrency, 'utilization.concurrency')).toBe('null');
  });

  it('carries every raw figure of the snapshot in data-value, exactly', () => {
    const view = keyView({ retryAmplification: null, peakRequestsPerSecond: 8.5 });
    render(<KeyCard view={view} />);
    const card = screen.getByTestId('key-card');
    expect(card.dataset).toMatchObject({ key: 'prod', provider: 'openai', model: 'gpt-4o-mini' });
    expect(value(card, 'requestsPerMinute')).toBe('420');
    expect(value(card, 'tokensPerMinute')).toBe('182400');
    expect(value(card, 'activeAtProvider')).toBe('7');
    expect(value(card, 'peakActiveCalls')).toBe('18');
    expect(value(card, 'rateLimitedPerMinute')).toBe('3');
    expect(value(card, 'retryAmplification')).toBe('null');
    expect(value(card, 'peakRequestsPerSecond')).toBe('8.5');
    expect(value(card, 'callsPerMinute')).toBe('336');
    expect(value(card, 'utilization.rpm')).toBe('0.84');
    expect(value(card, 'utilization.burst')).toBe('1.44');
    expect(value(card, 'replicas.length')).toBe('2');
    expect(card.querySelector('[data-metric="retryAmplification"] dd')?.textContent).toBe('—');
  });

  it('shows 429s, retry amplification, burst and replicas as text', () => {
    render(<KeyCard view={keyView()} />);
    const card = screen.getByTestId('key-card');
    const shown = (metric: string) =>
      card.querySelector(`[data-metric="${metric}"] dd`)?.textContent;
    expect(shown('rateLimitedPerMinute')).toBe('3 rate limited');
    expect(shown('retryAmplification')).toBe('1.25× attempts per call');
    expect(shown('utilization.burst')).toBe('144 % of rpm/60 critical');
    expect(shown('replicas.length')).toBe('2 replicas');
  });

  it('says how far over a ceiling the key is', () => {
    render(
      <KeyCard
        view={keyView({
          requestsPerMinute: 520,
          utilization: { rpm: 1.04 },
          ceilings: { rpm: { value: 500, source: 'configured' } },
        })}
      />,
    );
    expect(text(meter('rpm'), 'headroom-text')).toBe('RPM 520 / 500 · over the ceiling by 4 %');
    expect(meter('rpm').dataset.level).toBe('critical');
    expect(text(meter('tpm'), 'headroom-text')).toBe('TPM 182,400 · no ceiling');
  });

  it('shows the guard beside the key when a replica guards it, and nothing of it otherwise', () => {
    const { container, rerender } = render(<KeyCard view={keyView()} />);
    expect(container.querySelector('.guard-figures')).toBeNull();
    rerender(
      <KeyCard
        view={keyView({
          guard: {
            waiting: 12,
            admittedPerMinute: 480,
            delayedPerMinute: 30,
            rejectedPerMinute: 2,
            averageWaitSeconds: 0.42,
          },
        })}
      />,
    );
    const guard = screen.getByRole('region', { name: 'Guard' });
    expect(value(guard, 'guard.waiting')).toBe('12');
    expect(value(guard, 'guard.averageWaitSeconds')).toBe('0.42');
    expect(guard.textContent).toContain('12 calls');
    expect(guard.textContent).toContain('480, 30 after a wait');
    expect(guard.textContent).toContain('queue full or timed out');
    expect(guard.textContent).toContain('0.42 s');
  });
});
