import '../test/setup';
import type { Dropped, Limits } from '@headroom/contract/wire';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DroppedNotice } from './dropped-notice';

const limits: Limits = {
  series: 50_000,
  nodes: 10_000,
  graphs: 1_000,
  replicas: 10_000,
  replicasPerKey: 1_000,
  edges: 10_000,
  streams: 1_000_000,
  idleSeconds: 3600,
};
const none: Dropped = {
  series: 0,
  nodes: 0,
  graphs: 0,
  replicas: 0,
  replicasPerKey: 0,
  edges: 0,
  streams: 0,
};

describe('DroppedNotice', () => {
  it('says how many series were dropped over which limit, and how to raise it', () => {
    render(<DroppedNotice dropped={{ ...none, series: 12_345 }} limits={limits} />);
    expect(screen.getByRole('status').textContent).toBe(
      "12,345 series over the collector's limit of 50,000 were dropped; raise --max-series",
    );
  });

  it('has one line per limit that dropped anything', () => {
    render(<DroppedNotice dropped={{ ...none, series: 2, edges: 1 }} limits={limits} />);
    expect(
      screen.getAllByText(/over the collector's limit/).map((line) => line.dataset.kind),
    ).toEqual(['series', 'edges']);
    expect(screen.getByText(/graph edge/).textContent).toBe(
      "1 graph edge over the collector's limit of 10,000 was dropped; raise limits.edges",
    );
  });

  it('is absent when nothing was dropped, or the collector sends no counts', () => {
    const { container, rerender } = render(<DroppedNotice dropped={none} limits={limits} />);
    expect(container.innerHTML).toBe('');
    rerender(<DroppedNotice />);
    expect(container.innerHTML).toBe('');
  });
});
