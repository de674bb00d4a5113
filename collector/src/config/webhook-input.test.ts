import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { parseWebhookInput, type WebhookParseOptions } from './webhook-input.js';

const now = 1_700_000_000_000;
const url = 'https://hooks.slack.com/services/T/B/X';

function messageOf(value: unknown, options: Partial<WebhookParseOptions> = {}): string {
  try {
    parseWebhookInput(value, { now, ...options });
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
      { now, allowPrivateWebhooks: true },
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
      'Expected `url` to be an http or https URL, got "ftp://example.com/…"',
    ],
    [
      { url: 'hooks.slack.com/services' },
      'Expected `url` to be an http or https URL, got "hooks.slack.com/…"',
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

  const LOCAL =
    'webhooks may not target it (start with --allow-private-webhooks for local receivers)';
  const NEVER = 'webhooks may not target it (not even with --allow-private-webhooks)';

  it.each([
    ['http://10.0.0.5/hook', `url: 10.0.0.5 is a private address; ${LOCAL}`],
    ['http://172.20.1.1/hook', `url: 172.20.1.1 is a private address; ${LOCAL}`],
    ['http://192.168.1.20:8080/hook', `url: 192.168.1.20 is a private address; ${LOCAL}`],
    ['http://100.64.0.1/hook', `url: 100.64.0.1 is a carrier-grade NAT address; ${LOCAL}`],
    ['http://[fd00::1]/hook', `url: fd00::1 is a private address; ${LOCAL}`],
    ['http://127.0.0.1:9000/hook', `url: 127.0.0.1 is a loopback address; ${LOCAL}`],
    ['http://127.1/hook', `url: 127.0.0.1 is a loopback address; ${LOCAL}`],
    ['http://0x7f.1/hook', `url: 127.0.0.1 is a loopback address; ${LOCAL}`],
    ['http://2130706433/hook', `url: 127.0.0.1 is a loopback address; ${LOCAL}`],
    ['http://127.0.0.1./hook', `url: 127.0.0.1 is a loopback address; ${LOCAL}`],
    ['http://[::1]/hook', `url: ::1 is a loopback address; ${LOCAL}`],
    [
      'http://[::ffff:127.0.0.1]/hook',
      `url: ::ffff:7f00:1 is a loopback address (it carries the IPv4 address 127.0.0.1); ${LOCAL}`,
    ],
    ['http://localhost:9000/hook', `url: localhost is a loopback name; ${LOCAL}`],
    ['http://localhost./hook', `url: localhost. is a loopback name; ${LOCAL}`],
    ['http://hooks.localhost/hook', `url: hooks.localhost is a loopback name; ${LOCAL}`],
    [
      'http://169.254.169.254/latest/meta-data',
      `url: 169.254.169.254 is a link-local address; ${NEVER}`,
    ],
    ['http://[fe80::1]/hook', `url: fe80::1 is a link-local address; ${NEVER}`],
    ['http://0.0.0.0:9000/hook', `url: 0.0.0.0 is an unspecified address; ${NEVER}`],
    ['http://[::]/hook', `url: :: is an unspecified address; ${NEVER}`],
    ['http://224.0.0.1/hook', `url: 224.0.0.1 is a multicast address; ${NEVER}`],
    ['http://255.255.255.255/hook', `url: 255.255.255.255 is a broadcast address; ${NEVER}`],
  ])('refuses a target by its address class: %s', (target, message) => {
    expect(messageOf({ url: target })).toBe(message);
  });

  it('opens loopback and private targets with allowPrivateWebhooks, never link-local or unspecified', () => {
    const allow = { now, allowPrivateWebhooks: true };
    for (const target of ['http://127.0.0.1:9000/hook', 'http://10.0.0.5/', 'http://[::1]/'])
      expect(parseWebhookInput({ url: target }, allow).url).toBe(target);
    expect(messageOf({ url: 'http://169.254.169.254/' }, allow)).toBe(
      `url: 169.254.169.254 is a link-local address; ${NEVER}`,
    );
    expect(messageOf({ url: 'http://0.0.0.0/' }, allow)).toBe(
      `url: 0.0.0.0 is an unspecified address; ${NEVER}`,
    );
  });

  it('accepts public addresses and names (a name is checked again when it resolves)', () => {
    for (const target of [
      'https://8.8.8.8/hook',
      'https://[2606:4700::1111]/',
      'https://example.com/x',
    ])
      expect(parseWebhookInput({ url: target }, { now }).url).toBe(target);
  });

  it('keeps the stored URL when `url` is left out or sent back masked, refuses a masked one otherwise', () => {
    const stored = { now, id: 'w', storedUrl: url };
    expect(parseWebhookInput({ enabled: false }, stored)).toStrictEqual({
      id: 'w',
      url,
      severities: [],
      enabled: false,
      updatedAt: now,
    });
    expect(parseWebhookInput({ url: 'https://hooks.slack.com/…' }, stored).url).toBe(url);
    const other = 'https://hooks.slack.com/services/T/B/Y';
    expect(parseWebhookInput({ url: other }, stored).url).toBe(other);
    expect(messageOf({ url: 'https://hooks.example.com/…' }, { id: 'w', storedUrl: url })).toBe(
      'url: https://hooks.example.com/… is a masked URL, as the API shows it; send the whole URL, or leave `url` out to keep the stored one',
    );
    expect(messageOf({ enabled: false }, { id: 'w' })).toBe(
      'Missing `url`: expected an http or https URL',
    );
  });
});
