import type uPlot from 'uplot';
import {
  formatDateMinute,
  formatDateTime,
  formatNumber,
  formatTick,
  formatTimeZone,
} from '../format/format';
import type { ChartTheme } from './theme';

/** Every live chart moves its cursor with the others. */
export const SYNC_KEY = 'headroom-live';
export const CHART_HEIGHT = 180;

export interface LineSpec {
  label: string;
  color: string;
  dash?: number[];
}

const numberValue = (_chart: uPlot, value: number | null) =>
  value === null ? '—' : formatNumber(value);

/**
 * What every chart shares. The x axis reads ISO-like times on a 24-hour clock, labelled with the
 * browser's zone; the cursor's time in the legend is the full date and zone, to the second on
 * the live ranges and to the minute on the minute ranges (`resolution` 60).
 */
function base(width: number, theme: ChartTheme, title: string, resolution: number): uPlot.Options {
  const axis = {
    stroke: theme.text,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
  };
  const when = resolution >= 60 ? formatDateMinute : formatDateTime;
  return {
    title,
    width,
    height: CHART_HEIGHT,
    // The collector sends final values; the chart draws them as they are, without animation.
    cursor: { sync: { key: SYNC_KEY }, drag: { x: false, y: false } },
    scales: {
      x: { time: true },
      y: { range: (_chart, _min, max) => [0, max > 0 ? max * 1.05 : 1] },
    },
    axes: [
      {
        ...axis,
        label: formatTimeZone(Date.now()),
        labelSize: 16,
        labelFont: '11px system-ui, sans-serif',
        values: (chart, ticks, _axis, _space, increment) => {
          const span = (chart.scales.x?.max ?? 0) - (chart.scales.x?.min ?? 0);
          return ticks.map((tick) => formatTick(tick * 1000, increment, span));
        },
      },
      { ...axis, size: 56, values: (_chart, ticks) => ticks.map((tick) => formatNumber(tick)) },
    ],
    series: [
      { label: 'time', value: (_chart, value) => (value === null ? '—' : when(value * 1000)) },
    ],
  };
}

/**
 * Lines of one key, with its ceiling as a dashed line (the last series, when there is one) and
 * the warning band, 80 to 95 % of the ceiling, shaded under everything. `ceiling()` is read on
 * every draw, so a new ceiling needs new data, not a new chart.
 */
export function keyChartOptions({
  title,
  width,
  theme,
  lines,
  ceilingLabel,
  ceiling,
  resolution = 1,
}: {
  title: string;
  width: number;
  theme: ChartTheme;
  /** Seconds per point. */
  resolution?: number;
  lines: readonly LineSpec[];
  /** Absent: the chart has no ceiling series. */
  ceilingLabel?: string;
  ceiling: () => number | undefined;
}): uPlot.Options {
  const options = base(width, theme, title, resolution);
  for (const line of lines)
    options.series.push({
      label: line.label,
      stroke: line.color,
      width: 2,
      value: numberValue,
      ...(line.dash && { dash: line.dash }),
      points: { show: false },
    });
  if (ceilingLabel !== undefined)
    options.series.push({
      label: ceilingLabel,
      stroke: theme.ceiling,
      width: 1.5,
      dash: [6, 4],
      value: numberValue,
      points: { show: false },
    });
  options.hooks = {
    drawClear: [
      (chart) => {
        const value = ceiling();
        if (value === undefined) return;
        const { ctx, bbox } = chart;
        const top = Math.max(bbox.top, chart.valToPos(value * 0.95, 'y', true));
        const bottom = Math.min(bbox.top + bbox.height, chart.valToPos(value * 0.8, 'y', true));
        if (bottom <= top) return;
        ctx.save();
        ctx.fillStyle = theme.band;
        ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
        ctx.restore();
      },
    ],
  };
  return options;
}

/**
 * Series stacked by drawing: the data holds each series' top edge, the tallest is drawn first
 * and the rest over it, with opaque fills. The legend shows each series' own value from `raw`.
 * `lines` come after the stack, drawn over it unstacked and dashed (the calls waiting in a
 * guard), each in the colour of the series it belongs to (`colorOf`, the key's name).
 */
export function stackedChartOptions({
  title,
  width,
  theme,
  labels,
  raw,
  lines = [],
  resolution = 1,
}: {
  title: string;
  width: number;
  theme: ChartTheme;
  labels: readonly string[];
  raw: () => ReadonlyArray<ReadonlyArray<number | null>>;
  lines?: ReadonlyArray<{ label: string; colorOf: string }>;
  /** Seconds per point. */
  resolution?: number;
}): uPlot.Options {
  const options = base(width, theme, title, resolution);
  labels.forEach((label) => {
    const color = seriesColor(theme, label);
    options.series.push({
      label,
      stroke: color,
      fill: color,
      width: 1,
      points: { show: false },
      value: (_chart, _value, seriesIndex, dataIndex) => {
        if (dataIndex === null) return '—';
        const own = raw()[seriesIndex]?.[dataIndex];
        return own === null || own === undefined ? '—' : formatNumber(own);
      },
    });
  });
  for (const line of lines)
    options.series.push({
      label: line.label,
      stroke: seriesColor(theme, line.colorOf),
      width: 2,
      dash: WAITING_DASH,
      value: numberValue,
      points: { show: false },
    });
  return options;
}

/** The dash of a "waiting in a guard" line: shorter than the ceiling's, so the two read apart. */
export const WAITING_DASH = [3, 3];

/**
 * The colour of a series (a key, a node) from its name, not its place in the legend: the same
 * key keeps its colour from one moment to the next, across charts and reloads.
 */
export function seriesColor(theme: Pick<ChartTheme, 'series'>, label: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < label.length; index++) {
    hash = Math.imul(hash ^ label.charCodeAt(index), 0x01000193);
  }
  return theme.series[(hash >>> 0) % theme.series.length]!;
}
