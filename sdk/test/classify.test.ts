import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { classifyError, outcomeOfStatus } from '../src/internal/classify.js';

describe('outcomeOfStatus', () => {
  it.each([
    [200, 'ok'],
    [201, 'ok'],
    [304, 'ok'],
    [429, 'rate_limited'],
    [400, 'error'],
    [401, 'error'],
    [500, 'error'],
    // Anthropic's "overloaded" is a server fault, not the caller's rate limit.
    [529, 'error'],
    [503, 'error'],
  ])('%d is %s', (status, outcome) => {
    expect(outcomeOfStatus(status)).toBe(outcome);
  });
});

describe('classifyError', () => {
  const headers = new Headers({ 'retry-after-ms': '20' });

  it('reads a real OpenAI RateLimitError as rate_limited 429', () => {
    const error = OpenAI.APIError.generate(
      429,
      { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
      'Rate limit reached',
      headers,
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(classifyError(error)).toEqual({ outcome: 'rate_limited', errorType: '429' });
  });

  it('reads a real Anthropic rate_limit_error as rate_limited 429', () => {
    const error = Anthropic.APIError.generate(
      429,
      { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
      'slow down',
      headers,
    );
    expect(classifyError(error)).toEqual({ outcome: 'rate_limited', errorType: '429' });
  });

  it('reads a real Anthropic 529 overloaded_error as an error, not a rate limit', () => {
    const error = Anthropic.APIError.generate(
      529,
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      'Overloaded',
      headers,
    );
    expect(classifyError(error)).toEqual({ outcome: 'error', errorType: '529' });
  });

  it('reads a 500 from any client as an error with its status', () => {
    const error = OpenAI.APIError.generate(500, undefined, 'boom', headers);
    expect(classifyError(error)).toEqual({ outcome: 'error', errorType: '500' });
  });

  it.each([
    ['Azure TooManyRequests code', { code: 'TooManyRequests', message: 'x' }],
    ['LangChain MODEL_RATE_LIMIT', { lc_error_code: 'MODEL_RATE_LIMIT', message: 'x' }],
    ['Anthropic body shape', { error: { type: 'rate_limit_error' } }],
    ['Anthropic body nested once more', { error: { error: { type: 'rate_limit_error' } } }],
    ['OpenAI body code', { error: { code: 'rate_limit_exceeded' } }],
    ['top-level code', { code: 'rate_limit_exceeded' }],
    ['a RateLimitError by name only', { name: 'RateLimitError' }],
  ])('reads %s as rate_limited 429 when no status says otherwise', (_, error) => {
    expect(classifyError(error)).toEqual({ outcome: 'rate_limited', errorType: '429' });
  });

  it.each([
    [{ status: 429 }, 'rate_limited', '429'],
    [{ statusCode: 429 }, 'rate_limited', '429'],
    [{ response: { status: 429 } }, 'rate_limited', '429'],
    [{ statusCode: 503 }, 'error', '503'],
    [{ response: { status: 502 } }, 'error', '502'],
    // Not an HTTP status: ignored.
    [{ status: 42 }, 'error', '_OTHER'],
    [{ status: '429' }, 'error', '_OTHER'],
  ])('reads the status of %j', (error, outcome, errorType) => {
    expect(classifyError(error)).toEqual({ outcome, errorType });
  });

  it('names other errors by their class, and plain errors _OTHER', () => {
    expect(classifyError(new TypeError('fetch failed'))).toEqual({
      outcome: 'error',
      errorType: 'TypeError',
    });
    expect(classifyError(new Error('plain'))).toEqual({ outcome: 'error', errorType: '_OTHER' });
    expect(classifyError(undefined)).toEqual({ outcome: 'error', errorType: '_OTHER' });
    expect(classifyError(null)).toEqual({ outcome: 'error', errorType: '_OTHER' });
    expect(classifyError('a string')).toEqual({ outcome: 'error', errorType: '_OTHER' });
  });
});
