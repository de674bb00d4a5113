import { describe, expect, it } from 'vitest';
import { parseCeilingInput } from './ceiling-input.js';
import { ConfigError } from './config-error.js';

const now = 1_700_000_000_000;
const valid = { key: 'prod', provider: 'openai', model: 'gpt-4o-mini', rpm: 500 };

function messageOf(value: unknown, options: { id?: string } = {}): string {
  try {
    parseCeilingInput(value, { now, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseCeilingInput', () => {
  it('keeps every field given and sets updatedAt, leaving absent limits absent', () => {
    const input = { ...valid, id: 'prod-mini', tpm: 200_000, concurrency: 20, note: 'tier 3' };
    expect(parseCeilingInput(input, { now })).toStrictEqual({ ...input, updatedAt: now });
    expect(parseCeilingInput({ ...valid, id: 'c' }, { now })).toStrictEqual({
      id: 'c',
      key: 'prod',
      provider: 'openai',
      model: 'gpt-4o-mini',
      rpm: 500,
      updatedAt: now,
    });
  });

  it('accepts `*` and the limits at their bounds', () => {
    const input = { id: 'x', key: '*', provider: '*', model: '*', tpm: 1e9, concurrency: 1 };
    expect(parseCeilingInput(input, { now })).toStrictEqual({ ...input, updatedAt: now });
  });

  it('generates a UUID when no id is given', () => {
    const { id } = parseCeilingInput(valid, { now });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(parseCeilingInput(valid, { now }).id).not.toBe(id);
  });

  it('takes the id it is put under, refusing a different one in the value', () => {
    expect(parseCeilingInput(valid, { id: 'path-id', now }).id).toBe('path-id');
    expect(parseCeilingInput({ ...valid, id: 'path-id' }, { id: 'path-id', now }).id).toBe(
      'path-id',
    );
    expect(messageOf({ ...valid, id: 'body-id' }, { id: 'path-id' })).toBe(
      'Expected `id` to be "path-id", the id it is put under, got "body-id"',
    );
    expect(messageOf(valid, { id: 'has space' })).toBe(
      "Expected `id` to be 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or digit, got \"has space\"",
    );
  });

  it('ignores a given updatedAt, so a fetched ceiling can be put back', () => {
    expect(parseCeilingInput({ ...valid, id: 'c', updatedAt: 5 }, { now }).updatedAt).toBe(now);
  });

  it.each([
    [{ ...valid, rpm: -3 }, 'Expected `rpm` to be a positive integer, got -3'],
    [{ ...valid, rpm: 0 }, 'Expected `rpm` to be a positive integer, got 0'],
    [{ ...valid, rpm: 2.5 }, 'Expected `rpm` to be a positive integer, got 2.5'],
    [{ ...valid, rpm: 'fast' }, 'Expected `rpm` to be a positive integer, got "fast"'],
    [{ ...valid, rpm: '500' }, 'Expected `rpm` to be a positive integer, got "500"'],
    [{ ...valid, rpm: null }, 'Expected `rpm` to be a positive integer, got null'],
    [{ ...valid, tpm: 2e9 }, 'Expected `tpm` to be at most 1000000000, got 2000000000'],
    [{ ...valid, tpm: 1e20 }, 'Expected `tpm` to be at most 1000000000, got 100000000000000000000'],
    [
      { ...valid, concurrency: Infinity },
      'Expected `concurrency` to be a positive integer, got Infinity',
    ],
    [
      { ...valid, concurrency: Number.NaN },
      'Expected `concurrency` to be a positive integer, got NaN',
    ],
  ])('names a bad limit: %o', (input, message) => {
    expect(messageOf(input)).toBe(message);
  });

  it.each([
    [
      { provider: 'openai', model: 'm', rpm: 1 },
      'Missing `key`: expected a string of 1 to 200 characters (`*` for any)',
    ],
    [
      { ...valid, provider: '' },
      'Expected `provider` to be a string of 1 to 200 characters (`*` for any), got ""',
    ],
    [
      { ...valid, model: 4 },
      'Expected `model` to be a string of 1 to 200 characters (`*` for any), got 4',
    ],
    [
      { ...valid, key: 'k'.repeat(201) },
      'Expected `key` to be at most 200 characters, got a string of 201 characters',
    ],
    [
      { ...valid, note: ['a'] },
      'Expected `note` to be a string of at most 1000 characters, got a list',
    ],
    [
      { ...valid, id: {} },
      "Expected `id` to be 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or digit, got an object",
    ],
  ])('names a bad key, provider, model, note or id: %o', (input, message) => {
    expect(messageOf(input)).toBe(message);
  });

  it('needs at least one limit', () => {
    expect(messageOf({ key: 'k', provider: 'p', model: 'm' })).toBe(
      'Expected at least one of `rpm`, `tpm` or `concurrency`, got none',
    );
  });

  it('rejects unknown fields, suggesting the one meant', () => {
    expect(messageOf({ ...valid, rpn: 5 })).toBe('Unknown field `rpn` (did you mean `rpm`?)');
    expect(messageOf({ key: 'k', provider: 'p', model: 'm', rpn: 5 })).toBe(
      'Unknown field `rpn` (did you mean `rpm`?)',
    );
    expect(messageOf({ ...valid, Concurrency: 5 })).toBe(
      'Unknown field `Concurrency` (did you mean `concurrency`?)',
    );
    expect(messageOf({ ...valid, color: 'red' })).toBe('Unknown field `color`');
  });

  it('names input that is not an object', () => {
    expect(messageOf('prod')).toBe('Expected a ceiling to be an object, got "prod"');
    expect(messageOf([valid])).toBe('Expected a ceiling to be an object, got a list');
    expect(messageOf(undefined)).toBe('Expected a ceiling to be an object, got nothing');
  });
});
