import type { History } from '@headroom/contract/wire';
import { describe, expect, it } from 'vitest';
import { SeriesBuffers } from '../live/series-buffers';
import { guardedHistory, keyHistory } from '../test/fixtures';
import { ChartColumns, fillKeyColumns, fillStackedColumns } from './chart-data';
import { seriesColor, stackedChartOptions } from './chart-options';
import { chartTheme } from './theme';

const ID = 'prod|openai|gpt-4o-mini';

function nodes(from: number, series: Record<string, number[]>): History {
  const seconds = Object.values(series)[0]!.map((_, index) => from + index);
  return {
    seconds,
    keys: {},
    nodes: Object.fromEntries(
      Object.entries(series).map(([id, values]) => {
        const [graph = '', node = ''] = id.split('|');
        return [id, { graph, node, executionsPerSecond: values, peakActiveCalls: values }];
      }),
    ),
  };
}

describe('fillKeyColumns', () => {
  it('gives uPlot x, the fields and the ceiling as a flat line', () => {
    const buffers = new SeriesBuffers(4);
    buffers.upsert(keyHistory(1000, [100, 200, 300]));
    const out = new ChartColumns();
    expect(fillKeyColumns(buffers, ID, ['requestsPerMinute', 'tokensPerMinute'], 500, out)).toEqual(
      [
        [999, 1000, 1001, 1002],
        [null, 100, 200, 300],
        [null, 10_000, 20_000, 30_000],
        [500, 500, 500, 500],
      ],
    );
  });

  it('refills the same arrays on every paint', () => {
    const buffers = new SeriesBuffers(3);
    const out = new ChartColumns();
    buffers.upsert(keyHistory(1000, [1]));
    const first = fillKeyColumns(buffers, ID, ['requestsPerMinute'], undefined, out);
    const [xs, ys] = first;
    buffers.upsert(keyHistory(1001, [2]));
    const second = fillKeyColumns(buffers, ID, ['requestsPerMinute'], undefined, out);
    expect(second).toBe(first);
    expect(second[0]).toBe(xs);
    expect(second[1]).toBe(ys);
    expect(second).toEqual([
      [999, 1000, 1001],
      [null, 1, 2],
    ]);
  });

  it('is all gaps for a key the buffers do not hold', () => {
    const buffers = new SeriesBuffers(2);
    buffers.upsert(keyHistory(1000, [1, 2]));
    expect(
      fillKeyColumns(buffers, 'other', ['requestsPerMinute'], undefined, new ChartColumns()),
    ).toEqual([
      [1000, 1001],
      [null, null],
    ]);
  });
});

describe('fillStackedColumns', () => {
  it('beside the nodes, the calls no node accounts for: a plain fan-out next to a graph stays on the chart', () => {
    const buffers = new SeriesBuffers(3);
    const fanOut = keyHistory(1000, [1, 1, 1]);
    fanOut.keys[ID]!.peakActiveCalls = [62, 60, 3];
    buffers.upsert({ ...fanOut, nodes: nodes(1000, { 'agent|plan': [2, 0, 3] }).nodes });
    const raw = new ChartColumns();
    fillStackedColumns(
      buffers,
      'nodes',
      ['agent|plan'],
      'peakActiveCalls',
      new ChartColumns(),
      raw,
      true,
    );
    // The node's own, then what is left of the keys' in flight once the node's calls are taken out.
    expect(raw.columns.slice(1)).toEqual([
      [2, 0, 3],
      [60, 60, 0],
    ]);
  });

  it('stacks the last id at the bottom and keeps each series own values for the legend', () => {
    const buffers = new SeriesBuffers(3);
    buffers.upsert(nodes(1000, { 'agent|plan': [1, 2, 3], 'agent|tools': [10, 20, 30] }));
    const raw = new ChartColumns();
    const stacked = fillStackedColumns(
      buffers,
      'nodes',
      ['agent|plan', 'agent|tools'],
      'peakActiveCalls',
      new ChartColumns(),
      raw,
    );
    expect(stacked).toEqual([
      [1000, 1001, 1002],
      [11, 22, 33],
      [10, 20, 30],
    ]);
    expect(raw.columns).toEqual([
      [0, 0, 0],
      [1, 2, 3],
      [10, 20, 30],
    ]);
  });

  it('leaves a second null only when no series has a value', () => {
    const buffers = new SeriesBuffers(4);
    buffers.upsert(nodes(1000, { 'a|x': [1], 'a|y': [2] }));
    buffers.upsert(nodes(1002, { 'a|x': [5] }));
    const stacked = fillStackedColumns(
      buffers,
      'nodes',
      ['a|x', 'a|y'],
      'peakActiveCalls',
      new ChartColumns(),
      new ChartColumns(),
    );
    expect(stacked).toEqual([
      [999, 1000, 1001, 1002],
      [null, 3, null, 5],
      [null, 2, null, null],
    ]);
  });
});

describe('stacked chart colours', () => {
  it('a series keeps its colour when the others come, go or change places', () => {
    const theme = chartTheme(null);
    const strokes = (labels: string[]) =>
      Object.fromEntries(
        stackedChartOptions({ title: 't', width: 400, theme, labels, raw: () => [] })
          .series.slice(1)
          .map((series) => [series.label, series.stroke]),
      );
    const before = strokes(['prod · openai', 'batch · openai', 'agent/plan']);
    const after = strokes(['agent/work', 'agent/plan', 'prod · openai']);
    expect(after['prod · openai']).toBe(before['prod · openai']);
    expect(after['agent/plan']).toBe(before['agent/plan']);
    expect(new Set(Object.values(before)).size).toBeGreaterThan(1);
    expect(seriesColor(theme, 'prod · openai')).toBe(before['prod · openai']);
  });
});

describe('fillStackedColumns with a guarded key', () => {
  it('stacks the guarded key at the provider and draws its calls waiting in the guard unstacked', () => {
    const buffers = new SeriesBuffers(2);
    buffers.upsert(keyHistory(1000, [1, 1]));
    buffers.upsert(
      guardedHistory([1000, 1001], { peak: [55, 20], waiting: [50, 15], atProvider: [5, 5] }),
    );
    const ids = buffers.ids('keys');
    expect(ids).toEqual(['guarded|openai|gpt-4o-mini', ID]);
    const out = new ChartColumns();
    const raw = new ChartColumns();
    const columns = fillStackedColumns(buffers, 'keys', ids, 'peakActiveCalls', out, raw, false, [
      'guarded|openai|gpt-4o-mini',
    ]);
    // 55 started, 50 waiting: 5 in flight at the provider over prod's 1, and 50 waiting.
    expect(columns).toEqual([
      [1000, 1001],
      [6, 6],
      [1, 1],
      [50, 15],
    ]);
    expect(raw.ys).toEqual([
      [5, 5],
      [1, 1],
    ]);
  });

  it('the waiting line has the key’s colour and a dash of its own; the stack keeps its colours', () => {
    const theme = chartTheme(null);
    const options = stackedChartOptions({
      title: 't',
      width: 400,
      theme,
      labels: ['guarded · openai · gpt-4o-mini'],
      lines: [
        {
          label: 'waiting in guard · guarded · openai · gpt-4o-mini',
          colorOf: 'guarded · openai · gpt-4o-mini',
        },
      ],
      raw: () => [],
      resolution: 60,
    });
    const [, stacked, waiting] = options.series;
    expect(stacked!.stroke).toBe(seriesColor(theme, 'guarded · openai · gpt-4o-mini'));
    expect(waiting).toMatchObject({
      label: 'waiting in guard · guarded · openai · gpt-4o-mini',
      stroke: stacked!.stroke,
      dash: [3, 3],
    });
    expect(waiting!.fill).toBe(undefined);
  });
});
