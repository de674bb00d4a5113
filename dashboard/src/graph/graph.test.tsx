import '../test/setup';
import type { NodeView } from '@headroom/contract/wire';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GraphSection } from './graph-view';
import { layoutFlow } from './layout-flow';

function node(overrides: Partial<NodeView>): NodeView {
  return {
    graph: 'agent',
    node: 'plan',
    executionsPerSecond: 1,
    activeExecutions: 0,
    peakActiveExecutions: 1,
    burstSize: 1,
    callsPerMinute: 60,
    maxExecutionsPerRun: 1,
    keys: [],
    ...overrides,
  };
}

describe('layoutFlow', () => {
  it('orders boxes by step from __start__, and curves loops back under them', () => {
    const layout = layoutFlow(
      ['plan', 'tools'],
      [
        { graph: 'agent', from: '__start__', to: 'plan', count: 5 },
        { graph: 'agent', from: 'plan', to: 'tools', count: 40 },
        { graph: 'agent', from: 'tools', to: 'plan', count: 35 },
      ],
    );
    expect(layout.boxes.map((box) => [box.name, box.layer])).toEqual([
      ['__start__', 0],
      ['plan', 1],
      ['tools', 2],
    ]);
    const back = layout.arrows.find((arrow) => arrow.from === 'tools')!;
    expect(back.labelY).toBeGreaterThan(layout.boxes[2]!.y);
  });

  it('puts nodes no edge reaches after the others', () => {
    const layout = layoutFlow(['solo', 'a', 'b'], [{ graph: 'g', from: 'a', to: 'b', count: 1 }]);
    expect(layout.boxes.map((box) => box.name)).toEqual(['a', 'b', 'solo']);
  });
});

describe('GraphSection', () => {
  it('flags loops and fan-out bursts with text badges', () => {
    render(
      <GraphSection
        nodes={[
          node({ node: 'plan', maxExecutionsPerRun: 14 }),
          node({ node: 'summarize', burstSize: 40 }),
          node({ node: 'tools' }),
        ]}
        graphs={[{ graph: 'agent', maxStepsPerRun: 12, recursionLimit: 25 }]}
        edges={undefined}
      />,
    );
    const rows = screen.getAllByTestId('graph-node');
    const flags = (row: HTMLElement) =>
      within(row)
        .queryAllByTestId('flag')
        .map((flag) => flag.textContent);
    expect(rows.map(flags)).toEqual([
      ['loop: 14 executions in one run'],
      ['fan-out: 40 calls in one second'],
      [],
    ]);
    expect(rows[1]!.querySelector('[data-metric="burstSize"]')?.getAttribute('data-value')).toBe(
      '40',
    );
    expect(screen.getByText(/does not report transitions/)).toBeTruthy();
  });

  it('flags a graph near its recursion limit, and as its loop only the nodes run more than once a run', () => {
    render(
      <GraphSection
        nodes={[
          node({ node: 'plan', maxExecutionsPerRun: 1 }),
          node({ node: 'model', maxExecutionsPerRun: 7 }),
          node({ node: 'tools', maxExecutionsPerRun: 7 }),
          node({ node: 'answer', maxExecutionsPerRun: 1 }),
        ]}
        graphs={[{ graph: 'agent', maxStepsPerRun: 22, recursionLimit: 25 }]}
        edges={[]}
      />,
    );
    expect(screen.getAllByTestId('flag').map((flag) => flag.textContent)).toEqual([
      'near recursion limit',
      'loop: 22 of 25 steps',
      'loop: 22 of 25 steps',
    ]);
    const flagged = screen
      .getAllByTestId('graph-node')
      .filter((row) => row.querySelector('[data-testid="flag"]') !== null)
      .map((row) => row.dataset.node);
    expect(flagged.sort()).toEqual(['model', 'tools']);
  });

  it('draws the observed edges with their counts, and lists them as text', () => {
    render(
      <GraphSection
        nodes={[node({ node: 'plan' }), node({ node: 'tools' })]}
        graphs={[]}
        edges={[
          { graph: 'agent', from: 'plan', to: 'tools', count: 40 },
          { graph: 'other', from: 'x', to: 'y', count: 1 },
        ]}
      />,
    );
    const flow = screen.getByTestId('flow');
    expect(flow.querySelector('svg')?.getAttribute('role')).toBe('img');
    expect(
      within(flow)
        .getAllByTestId('flow-edge')
        .map((edge) => edge.textContent),
    ).toEqual(['plan → tools: 40']);
    expect([...flow.querySelectorAll('svg rect')]).toHaveLength(2);
  });
});
