import { describe, expect, it } from 'vitest';
import { history } from './history.js';
import { WINDOW_SECONDS } from './snapshot.js';
import { fakeClock, OPENAI_KEY, point, replicaExport, sum } from './test-helpers.js';
import { View } from './view.js';

describe('history', () => {
  it.each([
    ['whole numbers', (index: number) => (index * 7919) % 13],
    ['fractions', (index: number) => ((index * 7919) % 13) / 3],
  ])('each second is the sliding 60 s sum the snapshot reports then (%s)', (_, amount) => {
    const clock = fakeClock();
    const view = new View({ now: clock.now });
    const start = clock.now();
    let total = 0;
    for (let index = 0; index < 400; index++) {
      total += amount(index);
      view.ingestMetrics(
        replicaExport('a', [sum('headroom.requests', [point(OPENAI_KEY, total, start)])]),
      );
      clock.advance(1000);
    }
    const to = view.second();
    const from = to - 299;
    const chart = history(view, from, to).keys['prod|openai|gpt-4o-mini']!.requestsPerMinute;
    const series = [...view.keys.values()][0]!;
    expect(chart).toEqual(
      Array.from({ length: 300 }, (_, index) => series.requests.sum(from + index, WINDOW_SECONDS)),
    );
    expect(chart.some((value) => value > 0)).toBe(true);
  });
});
