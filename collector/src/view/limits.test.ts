import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, resolveLimits } from './limits.js';

describe('resolveLimits', () => {
  it('puts the given limits over the defaults', () => {
    expect(resolveLimits({ series: 10 })).toEqual({ ...DEFAULT_LIMITS, series: 10 });
  });

  it('names a limit that is not a whole number from 1 up', () => {
    expect(() => resolveLimits({ series: 0 })).toThrow(
      'Expected `limits.series` to be a whole number from 1 up, got 0',
    );
    expect(() => resolveLimits({ edges: 2.5 })).toThrow('`limits.edges`');
  });
});
