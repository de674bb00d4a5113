import { expect, it } from 'vitest';
import { formatDuration } from './format-duration.js';

it('formats durations the way OpenAI does', () => {
  expect(formatDuration(0)).toBe('0s');
  expect(formatDuration(1)).toBe('1ms');
  expect(formatDuration(120)).toBe('120ms');
  expect(formatDuration(1000)).toBe('1s');
  expect(formatDuration(1500)).toBe('1.5s');
  expect(formatDuration(59_990)).toBe('59.99s');
  expect(formatDuration(60_000)).toBe('1m0s');
  expect(formatDuration(90_000)).toBe('1m30s');
  expect(formatDuration(360_000)).toBe('6m0s');
  expect(formatDuration(7_200_000)).toBe('2h0m0s');
  expect(formatDuration(0.2)).toBe('1ms');
});
