import { describe, expect, it } from 'vitest';
import {
  formatDateMinute,
  formatSeries,
  formatTick,
  formatTimeZone,
  headroomPercent,
  headroomPhrase,
  headroomText,
  levelOf,
} from './format';

describe('headroom', () => {
  it('rounds what is left down, in thousandths, so 1 − 0.84 is 16', () => {
    expect(headroomPercent(0.84)).toBe(16);
    expect(headroomPercent(0.845)).toBe(15);
    expect(headroomPercent(0.7)).toBe(30);
    expect(headroomPercent(0.999)).toBe(0);
    expect(headroomPercent(0)).toBe(100);
  });

  it('words the ceiling reached and passed', () => {
    expect(headroomPhrase(1)).toBe('0 % headroom');
    expect(headroomPhrase(1.2)).toBe('over the ceiling by 20 %');
    expect(headroomPhrase(1.001)).toBe('over the ceiling by 1 %');
  });

  it('reads like the card', () => {
    expect(headroomText('rpm', 420, 500, 0.84)).toBe('RPM 420 / 500 · 16 % headroom');
    expect(headroomText('concurrency', 3, undefined, undefined)).toBe('In flight 3 · no ceiling');
  });

  it('levels follow the default rules: warning from 80 %, critical from 95 %', () => {
    expect(levelOf(0.79)).toBe('ok');
    expect(levelOf(0.8)).toBe('warning');
    expect(levelOf(0.95)).toBe('critical');
  });

  it('shows an alert series as its values', () => {
    expect(formatSeries('key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm')).toBe(
      'prod · openai · gpt-4o-mini · rpm',
    );
  });
});

describe('time axis and minute points', () => {
  const at = Date.UTC(2026, 11, 2, 16, 31, 5);

  it('a minute point reads ISO-like with the zone, without seconds', () => {
    expect(formatDateMinute(at, 'UTC')).toBe('2026-12-02 16:31 UTC');
    expect(formatDateMinute(at, 'Asia/Tokyo')).toBe('2026-12-03 01:31 GMT+9');
    expect(formatTimeZone(at, 'UTC')).toBe('UTC');
  });

  it('ticks are as precise as they are apart, with the date once the axis spans days', () => {
    expect(formatTick(at, 10, 300, 'UTC')).toBe('16:31:05');
    expect(formatTick(at, 600, 21_600, 'UTC')).toBe('16:31');
    expect(formatTick(at, 3600 * 12, 604_800, 'UTC')).toBe('12-02 16:31');
    expect(formatTick(at, 86_400, 604_800, 'UTC')).toBe('12-02');
    expect(formatTick(Date.UTC(2026, 11, 2, 0, 0), 3600, 86_400, 'UTC')).toBe('00:00');
  });
});
