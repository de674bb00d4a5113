import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Why an address is no webhook target; absent: a public unicast address. */
export type AddressClass =
  | 'loopback'
  | 'private'
  | 'carrier-grade NAT'
  | 'link-local'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

export interface Classified {
  addressClass: AddressClass;
  /** The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4), when that is what was classified. */
  embedded?: string;
}

type Subnet = [address: string, prefix: number];

/** IANA's special-purpose registries (RFC 6890), checked in this order: broadcast lies inside 240/4. */
const SUBNETS: ReadonlyArray<[AddressClass, ipv4: Subnet[], ipv6: Subnet[]]> = [
  // RFC 1122 §3.2.1.3 "this network"; RFC 4291 §2.5.2.
  ['unspecified', [['0.0.0.0', 8]], [['::', 128]]],
  ['loopback', [['127.0.0.0', 8]], [['::1', 128]]],
  // RFC 1918; RFC 4193 unique local.
  [
    'private',
    [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
    ],
    [['fc00::', 7]],
  ],
  // RFC 6598 shared address space.
  ['carrier-grade NAT', [['100.64.0.0', 10]], []],
  // RFC 3927 (cloud metadata lives at 169.254.169.254); RFC 4291 §2.5.6.
  ['link-local', [['169.254.0.0', 16]], [['fe80::', 10]]],
  // RFC 5771; RFC 4291 §2.7.
  ['multicast', [['224.0.0.0', 4]], [['ff00::', 8]]],
  // RFC 919 limited broadcast.
  ['broadcast', [['255.255.255.255', 32]], []],
  [
    'reserved',
    [
      ['192.0.0.0', 24], // RFC 6890 protocol assignments
      ['192.0.2.0', 24], // RFC 5737 documentation
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['198.18.0.0', 15], // RFC 2544 benchmarking
      ['240.0.0.0', 4], // RFC 1112 future use
    ],
    [
      ['2001::', 32], // RFC 4380 Teredo: the IPv4 it reaches is hidden in the address
      ['2001:2::', 48], // RFC 5180 benchmarking
      ['2001:db8::', 32], // RFC 3849 documentation
      ['3fff::', 20], // RFC 9637 documentation
      ['64:ff9b:1::', 48], // RFC 8215 local-use NAT64, its embedding depends on the network
    ],
  ],
];

const LISTS = SUBNETS.map(([addressClass, ipv4, ipv6]) => {
  const list = new BlockList();
  for (const [address, prefix] of ipv4) list.addSubnet(address, prefix, 'ipv4');
  for (const [address, prefix] of ipv6) list.addSubnet(address, prefix, 'ipv6');
  return [addressClass, list] as const;
});

/** Only 2000::/3 is global unicast (RFC 4291 §2.4); the rest of the IPv6 space is not a target. */
const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');

/** The class of an IP address (no brackets), or undefined for a public one; throws for a non-address. */
export function classifyAddress(scoped: string): Classified | undefined {
  // A zone (`fe80::1%eth0`, as a resolver may answer for a link-local name) says which
  // interface, not which address: the address is classified without it.
  const address = scoped.replace(/%.*$/, '');
  if (isIPv4(address)) return classifyIpv4(address);
  if (!isIPv6(address))
    throw new TypeError(`Expected an IP address, got ${JSON.stringify(address)}`);
  const groups = ipv6Groups(address);
  const embedded = embeddedIpv4(groups);
  if (embedded !== undefined) {
    const inner = classifyIpv4(embedded);
    return inner && { ...inner, embedded };
  }
  for (const [addressClass, list] of LISTS) {
    if (list.check(address, 'ipv6')) return { addressClass };
  }
  return GLOBAL_UNICAST.check(address, 'ipv6') ? undefined : { addressClass: 'reserved' };
}

function classifyIpv4(address: string): Classified | undefined {
  for (const [addressClass, list] of LISTS) {
    if (list.check(address, 'ipv4')) return { addressClass };
  }
  return undefined;
}

/**
 * The IPv4 address inside an IPv6 one that a dual-stack host or a translator would reach:
 * IPv4-mapped ::ffff:0:0/96 and IPv4-compatible ::/96 (RFC 4291 §2.5.5), IPv4-translated
 * ::ffff:0:0:0/96 (RFC 2765), NAT64 64:ff9b::/96 (RFC 6052), 6to4 2002::/16 (RFC 3056).
 */
function embeddedIpv4(groups: number[]): string | undefined {
  const at = (index: number) => groups[index] ?? 0;
  const zero = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const dotted = (high: number, low: number) =>
    [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  const last = dotted(at(6), at(7));
  if (zero(0, 5) && at(5) === 0xffff) return last;
  if (zero(0, 4) && at(4) === 0xffff && at(5) === 0) return last;
  if (at(0) === 0x64 && at(1) === 0xff9b && zero(2, 6)) return last;
  if (at(0) === 0x2002) return dotted(at(1), at(2));
  // :: and ::1 are classes of their own, not 0.0.0.0 and 0.0.0.1.
  if (zero(0, 6) && (at(6) !== 0 || at(7) > 1)) return last;
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address, a dotted IPv4 tail included. */
function ipv6Groups(address: string): number[] {
  // The WHATWG URL parser writes any IPv6 address compressed, in hex: ::ffff:127.0.0.1 → ::ffff:7f00:1.
  const hex = new URL(`http://[${address}]`).hostname.slice(1, -1);
  const [head = '', tail] = hex.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const before = parse(head);
  if (tail === undefined) return before;
  const after = parse(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}
