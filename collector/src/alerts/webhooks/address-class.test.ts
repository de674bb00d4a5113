import { describe, expect, it } from 'vitest';
import { classifyAddress } from './address-class.js';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd00::1', 'private'],
    ['fc00::1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['100::1', 'reserved'],
    ['fec0::1', 'reserved'],
  ])('%s is %s', (address, addressClass) => {
    expect(classifyAddress(address)).toStrictEqual({ addressClass });
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', '127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.5', '10.0.0.5', 'private'],
    ['::ffff:169.254.169.254', '169.254.169.254', 'link-local'],
    ['::ffff:0.0.0.0', '0.0.0.0', 'unspecified'],
    ['::ffff:0:127.0.0.1', '127.0.0.1', 'loopback'],
    ['::127.0.0.1', '127.0.0.1', 'loopback'],
    ['64:ff9b::127.0.0.1', '127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254', 'link-local'],
    ['64:ff9b::c0a8:101', '192.168.1.1', 'private'],
    ['2002:7f00:1::', '127.0.0.1', 'loopback'],
    ['2002:a00:5::1', '10.0.0.5', 'private'],
  ])('%s carries %s, %s', (address, embedded, addressClass) => {
    expect(classifyAddress(address)).toStrictEqual({ addressClass, embedded });
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '9.255.255.255',
    '11.0.0.0',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (address) => {
    expect(classifyAddress(address)).toBeUndefined();
  });

  it('names a value that is no address', () => {
    expect(() => classifyAddress('hooks.slack.com')).toThrow(
      'Expected an IP address, got "hooks.slack.com"',
    );
  });
});
