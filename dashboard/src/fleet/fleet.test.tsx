import '../test/setup';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { keyView } from '../test/fixtures';
import { Fleet } from './fleet';

describe('Fleet', () => {
  it('shows each replica share of the key traffic as a percentage', () => {
    render(<Fleet keys={[keyView()]} />);
    const replicas = screen.getAllByTestId('replica');
    expect(replicas.map((replica) => [replica.dataset.instance, replica.dataset.value])).toEqual([
      ['pod-a', '0.667'],
      ['pod-b', '0.333'],
    ]);
    expect(replicas[0]!.textContent).toContain('67 % · 280 rpm · 5 in flight');
    expect(screen.getByTestId('fleet-key').textContent).toContain('2 replicas');
  });
});
