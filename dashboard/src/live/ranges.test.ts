import { describe, expect, it } from 'vitest';
import { historyPath, RANGES, resolutionOf, untilMinuteRefresh } from './ranges';

describe('ranges', () => {
  it('up to the hour at 1 s from ?seconds=, past it at 1 min from ?minutes=, up to 7 days', () => {
    expect(RANGES.map((range) => [historyPath(range), resolutionOf(range)])).toEqual([
      ['api/history?seconds=300', 1],
      ['api/history?seconds=900', 1],
      ['api/history?seconds=3600', 1],
      ['api/history?minutes=360', 60],
      ['api/history?minutes=1440', 60],
      ['api/history?minutes=10080', 60],
    ]);
  });

  it('a minute range refetches 2 s after the next minute ends', () => {
    const nine = Date.UTC(2026, 10, 26, 9, 0, 0);
    expect(untilMinuteRefresh(nine)).toBe(62_000);
    expect(untilMinuteRefresh(nine + 30_000)).toBe(32_000);
    expect(untilMinuteRefresh(nine + 59_999)).toBe(2_001);
  });
});
