import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { parseWebhookInput } from './webhook-input.js';

const now = 1_700_000_000_000;
const url = 'https://hooks.slack.com/services/T/B/X';

function messageOf(value: unknown): string {
  try {
    parseWebhookInput(value, { now });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseWebhookInput', () => {
  it('defaults to every severity, enabled', () => {
    expect(parseWebhookInput({ id: 'w', url }, { now })).toStrictEqual({
      id: 'w',
      url,
      severities: [],
      enabled: true,
      updatedAt: now,
    });
  });

  it('keeps every field given, a severity listed twice once', () => {
    const input = { id: 'w', url: 'http://localhost:9000/hook', enabled: false };
    const webhook = parseWebhookInput(
      { ...input, severities: ['critical', 'warning', 'critical'] },
      { now },
    );
    expect(webhook).toStrictEqual({
      ...input,
      severities: ['critical', 'warning'],
      updatedAt: now,
    });
  });

  it('generates an id when none is given and takes the one it is put under', () => {
    expect(parseWebhookInput({ url }, { now }).id).toMatch(/^[0-9a-f-]{36}$/);
    expect(parseWebhookInput({ url }, { now, id: 'slack' }).id).toBe('slack');
  });

  it.each([
    [{}, 'Missing `url`: expected an http or https URL'],
    [
      { url: 'ftp://example.com/x' },
      'Expected `url` to be an http or https URL, got "ftp://example.com/x"',
    ],
    [
      { url: 'hooks.slack.com/services' },
      'Expected `url` to be an http or https URL, got "hooks.slack.com/services"',
    ],
    [{ url: 42 }, 'Expected `url` to be an http or https URL, got 42'],
    [
      { url: `https://x.test/${'a'.repeat(2000)}` },
      'Expected `url` to be at most 2000 characters, got a string of 2015 characters',
    ],
    [
      { url, severities: 'critical' },
      'Expected `severities` to be a list of `warning` or `critical` (empty for all), got "critical"',
    ],
    [
      { url, severities: ['critical', 'info'] },
      'Expected `severities[1]` to be `warning` or `critical`, got "info"',
    ],
    [
      { url, severities: ['warn'] },
      'Expected `severities[0]` to be `warning` or `critical`, got "warn" (did you mean `warning`?)',
    ],
    [{ url, enabled: 1 }, 'Expected `enabled` to be true or false, got 1'],
    [{ url, severity: ['critical'] }, 'Unknown field `severity` (did you mean `severities`?)'],
    [{ url, secret: 's' }, 'Unknown field `secret`'],
    [null, 'Expected a webhook to be an object, got null'],
  ])('names a bad field: %o', (input, message) => {
    expect(messageOf(input)).toBe(message);
  });
});
