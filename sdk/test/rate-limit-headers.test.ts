import { describe, expect, it } from 'vitest';
import {
  parseDuration,
  readAccountHeaders,
  readRateLimitHeaders,
} from '../src/internal/rate-limit-headers.js';

describe('parseDuration (OpenAI reset format)', () => {
  it.each([
    ['6m0s', 360],
    ['1s', 1],
    ['120ms', 0.12],
    ['1m30s', 90],
    ['1.5s', 1.5],
    ['1h2m3s', 3723],
    ['2', 2],
    ['0.25', 0.25],
  ])('%s is %d s', (text, seconds) => {
    expect(parseDuration(text)).toBeCloseTo(seconds, 10);
  });

  it.each([null, '', 'soon', '1x', '1s and more', '-1s', 's'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('readRateLimitHeaders', () => {
  it('reads OpenAI x-ratelimit-* headers for requests and tokens', () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '600',
      'x-ratelimit-remaining-requests': '599',
      'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-limit-tokens': '100000',
      'x-ratelimit-remaining-tokens': '99978',
      'x-ratelimit-reset-tokens': '6m0s',
    });
    expect(readRateLimitHeaders(headers)).toEqual([
      { dimension: 'requests', limit: 600, remaining: 599, resetSeconds: 0.12 },
      { dimension: 'tokens', limit: 100000, remaining: 99978, resetSeconds: 360 },
    ]);
  });

  it('reads Azure OpenAI, which sends only the remaining headers', () => {
    const headers = new Headers({
      'x-ratelimit-remaining-requests': '99',
      'x-ratelimit-remaining-tokens': '9500',
    });
    expect(readRateLimitHeaders(headers)).toEqual([
      { dimension: 'requests', remaining: 99 },
      { dimension: 'tokens', remaining: 9500 },
    ]);
  });

  it('reads Anthropic headers for all four dimensions, resets as RFC 3339 timestamps', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const headers = new Headers({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-requests-reset': '2025-01-01T00:00:01Z',
      'anthropic-ratelimit-tokens-limit': '100000',
      'anthropic-ratelimit-tokens-remaining': '99978',
      'anthropic-ratelimit-tokens-reset': '2025-01-01T00:01:00Z',
      'anthropic-ratelimit-input-tokens-limit': '80000',
      'anthropic-ratelimit-input-tokens-remaining': '79993',
      'anthropic-ratelimit-input-tokens-reset': '2025-01-01T00:00:30.500Z',
      'anthropic-ratelimit-output-tokens-limit': '20000',
      'anthropic-ratelimit-output-tokens-remaining': '19985',
      // A reset already past counts as now, never as a negative wait.
      'anthropic-ratelimit-output-tokens-reset': '2024-12-31T23:59:00Z',
    });
    expect(readRateLimitHeaders(headers, now)).toEqual([
      { dimension: 'requests', limit: 50, remaining: 49, resetSeconds: 1 },
      { dimension: 'tokens', limit: 100000, remaining: 99978, resetSeconds: 60 },
      { dimension: 'input_tokens', limit: 80000, remaining: 79993, resetSeconds: 30.5 },
      { dimension: 'output_tokens', limit: 20000, remaining: 19985, resetSeconds: 0 },
    ]);
  });

  it('leaves out a reset it cannot read, and keeps the counts', () => {
    const headers = new Headers({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': 'tomorrow-ish',
    });
    expect(readRateLimitHeaders(headers)).toEqual([
      { dimension: 'requests', limit: 50, remaining: 0 },
    ]);
  });

  it('ignores counts that are not non-negative numbers', () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': 'lots',
      'x-ratelimit-remaining-requests': '-1',
      'x-ratelimit-limit-tokens': '',
      'x-ratelimit-remaining-tokens': '12',
    });
    expect(readRateLimitHeaders(headers)).toEqual([{ dimension: 'tokens', remaining: 12 }]);
  });

  it('reads nothing from a response without rate-limit headers', () => {
    expect(readRateLimitHeaders(new Headers({ 'content-type': 'application/json' }))).toEqual([]);
  });
});

describe('readAccountHeaders', () => {
  it('reads openai-organization and openai-project', () => {
    const headers = new Headers({ 'openai-organization': 'org-demo', 'openai-project': 'proj_1' });
    expect(readAccountHeaders(headers)).toEqual({ organization: 'org-demo', project: 'proj_1' });
  });

  it('leaves out what is missing, empty or too long to be an identifier', () => {
    expect(readAccountHeaders(new Headers())).toEqual({});
    expect(readAccountHeaders(new Headers({ 'openai-organization': 'user-abc' }))).toEqual({
      organization: 'user-abc',
    });
    const headers = new Headers({ 'openai-organization': ' ', 'openai-project': 'p'.repeat(129) });
    expect(readAccountHeaders(headers)).toEqual({});
  });
});
