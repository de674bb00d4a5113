import { describe, expect, it } from 'vitest';
import { addressRefusal, hostRefusal } from './webhook-target.js';

const LOCAL =
  'webhooks may not target it (start with --allow-private-webhooks for local receivers)';
const NEVER = 'webhooks may not target it (not even with --allow-private-webhooks)';

/** The host as the URL parser leaves it, then checked. */
const refusalOf = (host: string, allowPrivate = false) =>
  hostRefusal(new URL(`http://${host}/hook`).hostname, { allowPrivate });

describe('hostRefusal', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1 is a loopback address'],
    ['127.1', '127.0.0.1 is a loopback address'],
    ['0x7f.1', '127.0.0.1 is a loopback address'],
    ['2130706433', '127.0.0.1 is a loopback address'],
    ['017700000001', '127.0.0.1 is a loopback address'],
    ['127.0.0.1.', '127.0.0.1 is a loopback address'],
    ['[::1]', '::1 is a loopback address'],
    [
      '[::ffff:127.0.0.1]',
      '::ffff:7f00:1 is a loopback address (it carries the IPv4 address 127.0.0.1)',
    ],
    [
      '[64:ff9b::127.0.0.1]',
      '64:ff9b::7f00:1 is a loopback address (it carries the IPv4 address 127.0.0.1)',
    ],
    ['localhost', 'localhost is a loopback name'],
    ['LOCALHOST', 'localhost is a loopback name'],
    ['localhost.', 'localhost. is a loopback name'],
    ['localhost..', 'localhost.. is a loopback name'],
    ['api.localhost', 'api.localhost is a loopback name'],
    ['api.localhost.', 'api.localhost. is a loopback name'],
    ['10.0.0.5', '10.0.0.5 is a private address'],
    ['10.1', '10.0.0.1 is a private address'],
    ['172.16.0.1', '172.16.0.1 is a private address'],
    ['192.168.0.1', '192.168.0.1 is a private address'],
    ['[fd00::1]', 'fd00::1 is a private address'],
    [
      '[::ffff:10.0.0.5]',
      '::ffff:a00:5 is a private address (it carries the IPv4 address 10.0.0.5)',
    ],
    ['100.64.0.1', '100.64.0.1 is a carrier-grade NAT address'],
  ])('%s is refused, and opened by the flag', (host, message) => {
    expect(refusalOf(host)).toBe(`${message}; ${LOCAL}`);
    expect(refusalOf(host, true)).toBeUndefined();
  });

  it.each([
    ['169.254.169.254', '169.254.169.254 is a link-local address'],
    ['0xa9fea9fe', '169.254.169.254 is a link-local address'],
    ['[fe80::1]', 'fe80::1 is a link-local address'],
    [
      '[::ffff:169.254.169.254]',
      '::ffff:a9fe:a9fe is a link-local address (it carries the IPv4 address 169.254.169.254)',
    ],
    ['0.0.0.0', '0.0.0.0 is an unspecified address'],
    ['0', '0.0.0.0 is an unspecified address'],
    ['[::]', ':: is an unspecified address'],
    ['224.0.0.1', '224.0.0.1 is a multicast address'],
    ['[ff02::1]', 'ff02::1 is a multicast address'],
    ['255.255.255.255', '255.255.255.255 is a broadcast address'],
    ['240.0.0.1', '240.0.0.1 is a reserved address'],
    ['[2001:db8::1]', '2001:db8::1 is a reserved address'],
  ])('%s is refused, even with the flag', (host, message) => {
    expect(refusalOf(host)).toBe(`${message}; ${NEVER}`);
    expect(refusalOf(host, true)).toBe(`${message}; ${NEVER}`);
  });

  it.each([
    'hooks.slack.com',
    'example.com',
    'localhost.example.com',
    'mylocalhost',
    '8.8.8.8',
    '172.32.0.1',
    '[2606:4700:4700::1111]',
    '[::ffff:8.8.8.8]',
  ])('%s is allowed', (host) => {
    expect(refusalOf(host)).toBeUndefined();
  });
});

describe('addressRefusal', () => {
  it('names the name and the address it resolved to', () => {
    expect(addressRefusal('hooks.example.test', '127.0.0.1')).toBe(
      `hooks.example.test resolves to 127.0.0.1, a loopback address; ${LOCAL}`,
    );
    expect(
      addressRefusal('hooks.example.test', '127.0.0.1', { allowPrivate: true }),
    ).toBeUndefined();
    expect(addressRefusal('metadata.example.test', '169.254.169.254', { allowPrivate: true })).toBe(
      `metadata.example.test resolves to 169.254.169.254, a link-local address; ${NEVER}`,
    );
    expect(addressRefusal('hooks.example.test', '93.184.216.34')).toBeUndefined();
  });
});
