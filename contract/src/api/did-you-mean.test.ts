import { describe, expect, it } from 'vitest';
import { didYouMean } from './did-you-mean.js';

const known = ['rpm', 'tpm', 'concurrency', 'forSeconds', 'withinSeconds', 'severities'];

describe('didYouMean', () => {
  it.each([
    ['rpn', 'rpm'],
    ['RPM', 'rpm'],
    ['for_seconds', 'forSeconds'],
    ['concurency', 'concurrency'],
    ['conccurrency', 'concurrency'],
    ['forSecodns', 'forSeconds'],
    ['severity', 'severities'],
    ['within', 'withinSeconds'],
    ['for', 'forSeconds'],
  ])('reads %s as %s', (typo, meant) => {
    expect(didYouMean(typo, known)).toBe(meant);
  });

  it.each(['color', 'x', 'seconds', 'limit'])('suggests nothing for %s', (name) => {
    expect(didYouMean(name, known)).toBeUndefined();
  });
});
