import { isIP } from 'node:net';
import { type AddressClass, type Classified, classifyAddress } from './address-class.js';

export interface TargetOptions {
  /** Opens loopback, private and carrier-grade NAT addresses, for receivers on this machine or network. */
  allowPrivate?: boolean;
}

/** What `--allow-private-webhooks` opens; link-local (cloud metadata), unspecified and the rest stay shut. */
const OPENED_BY_FLAG: ReadonlySet<AddressClass> = new Set([
  'loopback',
  'private',
  'carrier-grade NAT',
]);

/**
 * Why a URL's host may not receive webhooks, as a one-line message, or undefined when it may.
 * `hostname` is as `new URL()` gives it: IPv4 already normalised (0x7f.1 is 127.0.0.1), IPv6 in
 * brackets. Names other than localhost are checked when they resolve (`addressRefusal`).
 */
export function hostRefusal(hostname: string, options: TargetOptions = {}): string | undefined {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (isIP(bare) !== 0) return refusal(bare, 'is', classifyAddress(bare), options);
  // RFC 6761 §6.3: localhost and every name under it are loopback; a trailing dot is the same name.
  const name = bare.replace(/\.+$/, '');
  if (name === 'localhost' || name.endsWith('.localhost'))
    return refusal(hostname, 'is', { addressClass: 'loopback' }, options, 'name');
  return undefined;
}

/** Why an address a name resolved to may not receive webhooks, or undefined when it may. */
export function addressRefusal(
  name: string,
  address: string,
  options: TargetOptions = {},
): string | undefined {
  return refusal(`${name} resolves to ${address},`, '', classifyAddress(address), options);
}

function refusal(
  subject: string,
  verb: string,
  classified: Classified | undefined,
  { allowPrivate = false }: TargetOptions,
  noun = 'address',
): string | undefined {
  if (classified === undefined) return undefined;
  const { addressClass, embedded } = classified;
  const opened = OPENED_BY_FLAG.has(addressClass);
  if (opened && allowPrivate) return undefined;
  const article = /^[aeiou]/.test(addressClass) ? 'an' : 'a';
  const carried = embedded === undefined ? '' : ` (it carries the IPv4 address ${embedded})`;
  const hint = opened
    ? 'start with --allow-private-webhooks for local receivers'
    : 'not even with --allow-private-webhooks';
  const what = `${article} ${addressClass} ${noun}${carried}`;
  return `${[subject, verb, what].filter(Boolean).join(' ')}; webhooks may not target it (${hint})`;
}
