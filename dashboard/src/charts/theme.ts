/** Chart colours, read from the page's CSS variables once per chart (light or dark scheme). */
export interface ChartTheme {
  text: string;
  grid: string;
  ceiling: string;
  band: string;
  series: readonly string[];
}

const FALLBACK: ChartTheme = {
  text: '#5b6470',
  grid: 'rgba(128,128,128,0.18)',
  ceiling: '#c0392b',
  band: 'rgba(230,160,0,0.16)',
  series: ['#2f6fdb', '#e07b00', '#2a9d6a', '#9b59b6', '#d1495b', '#00a0b0', '#8d6e63', '#7f8c8d'],
};

export function chartTheme(element: Element | null): ChartTheme {
  if (element === null || typeof getComputedStyle !== 'function') return FALLBACK;
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const series = FALLBACK.series.map((color, index) => read(`--series-${index + 1}`, color));
  return {
    text: read('--chart-text', FALLBACK.text),
    grid: read('--chart-grid', FALLBACK.grid),
    ceiling: read('--chart-ceiling', FALLBACK.ceiling),
    band: read('--chart-band', FALLBACK.band),
    series,
  };
}
