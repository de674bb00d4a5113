import { describe, expect, it } from 'vitest';
import { describeValue } from './describe-value.js';

describe('describeValue', () => {
  it.each([
    ['fast', '"fast"'],
    ['line\nbreak', '"line\\nbreak"'],
    ['x'.repeat(61), 'a string of 61 characters'],
    [-3, '-3'],
    [Number.NaN, 'NaN'],
    [null, 'null'],
    [undefined, 'nothing'],
    [false, 'false'],
    [[1], 'a list'],
    [{ a: 1 }, 'an object'],
    [() => 1, 'a function'],
  ])('shows %o as %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });
});
