import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { addressRefusal, type TargetOptions } from './webhook-target.js';
import { WebhookTargetError } from './webhook-target-error.js';

/** Every address a name resolves to; tests inject one, so a made-up name can stand for 127.0.0.1. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export const resolveWithDns: Resolve = (hostname) =>
  dns.lookup(hostname, { all: true, verbatim: true });

/**
 * A `lookup` for `net.connect` that resolves the name once, refuses it if ANY address is refused
 * (a name with one public and one private address must not reach the private one on a retry or
 * a happy-eyeballs fallback), and hands the socket exactly the addresses it checked, so the name
 * cannot resolve elsewhere between the check and the connection (DNS rebinding).
 */
export function pinnedLookup({
  resolve = resolveWithDns,
  ...options
}: TargetOptions & { resolve?: Resolve } = {}): LookupFunction {
  return function pinnedLookup(hostname, lookupOptions, callback) {
    resolve(hostname).then(
      (addresses) => {
        try {
          answer(addresses);
        } catch (error) {
          // Whatever goes wrong in the check refuses the connection; it must not escape as an
          // unhandled rejection, which would end the collector.
          callback(error as NodeJS.ErrnoException, '', 0);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );

    function answer(addresses: LookupAddress[]) {
      for (const { address } of addresses) {
        const refused = addressRefusal(hostname, address, options);
        if (refused !== undefined) return callback(new WebhookTargetError(refused), '', 0);
      }
      const family =
        lookupOptions.family === 'IPv4'
          ? 4
          : lookupOptions.family === 'IPv6'
            ? 6
            : lookupOptions.family;
      const usable = addresses.filter((address) => !family || address.family === family);
      const [first] = usable;
      if (first === undefined) {
        const error: NodeJS.ErrnoException = new Error(`${hostname} has no address`);
        error.code = 'ENOTFOUND';
        return callback(error, '', 0);
      }
      if (lookupOptions.all) return callback(null, usable);
      return callback(null, first.address, first.family);
    }
  };
}
