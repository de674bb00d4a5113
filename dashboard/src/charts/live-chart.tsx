import { memo, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SeriesBuffers } from '../live/series-buffers';
import { useLiveStore } from '../live/use-live';
import type { Columns } from './chart-data';
import { CHART_HEIGHT } from './chart-options';
import { type ChartTheme, chartTheme } from './theme';

/**
 * Where a chart's figure element holds its uPlot instance, for the browser tests to read the data
 * drawn (`element[Symbol.for('headroom.chart')].data`); a registered symbol, so a test's page
 * script can name it without importing anything.
 */
export const CHART = Symbol.for('headroom.chart');

export interface ChartSpec {
  /** Changes only when the options change shape (series added, removed or relabelled). */
  shape: string;
  options(width: number, theme: ChartTheme): uPlot.Options;
  /** Refills the chart's columns from the buffers, in place. */
  fill(buffers: SeriesBuffers): Columns;
}

/**
 * One uPlot chart fed by the live store. It is created once per `spec.shape`; on every animation
 * frame with new data it gets `setData` from `spec.fill`, on resize `setSize`. The latest spec is
 * read through a ref, so props that do not change the shape (a new ceiling) need no new chart.
 */
export const LiveChart = memo(function LiveChart({
  spec,
  label,
}: {
  spec: ChartSpec;
  label: string;
}) {
  const store = useLiveStore();
  const container = useRef<HTMLElement>(null);
  const latest = useRef(spec);
  latest.current = spec;
  const chartRef = useRef<uPlot | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the chart is recreated only when its shape changes
  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const width = Math.max(240, element.clientWidth);
    const chart = new uPlot(
      latest.current.options(width, chartTheme(element)),
      latest.current.fill(store.buffers) as uPlot.AlignedData,
      element,
    );
    chartRef.current = chart;
    (element as HTMLElement & { [CHART]?: uPlot })[CHART] = chart;
    const shape = latest.current.shape;
    const stopPainting = store.onPaint((buffers, dataChanged) => {
      // A frame between a render with a new shape and this effect's rerun: wait for the new chart.
      if (dataChanged && latest.current.shape === shape)
        chart.setData(latest.current.fill(buffers) as uPlot.AlignedData);
    });
    let lastWidth = width;
    const observer = new ResizeObserver(() => {
      const next = Math.max(240, element.clientWidth);
      if (next === lastWidth) return;
      lastWidth = next;
      chart.setSize({ width: next, height: CHART_HEIGHT });
    });
    observer.observe(element);
    return () => {
      stopPainting();
      observer.disconnect();
      chart.destroy();
      chartRef.current = undefined;
      delete (element as HTMLElement & { [CHART]?: uPlot })[CHART];
    };
  }, [spec.shape, store]);

  // A spec that changes only the data (a new ceiling) shows at once, not at the next frame.
  useEffect(() => {
    chartRef.current?.setData(spec.fill(store.buffers) as uPlot.AlignedData);
  }, [spec, store]);

  return <figure className="chart" ref={container} aria-label={label} />;
});
