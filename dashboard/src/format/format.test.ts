import { describe, expect, it } from 'vitest';
import { formatSeries, headroomPercent, headroomPhrase, headroomText, levelOf } from './format';

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
