import { describe, expect, it } from 'vitest';
import { classifyAddress } from './address-class.js';
import { pinnedLookup, type Resolve } from './pinned-lookup.js';

/** What the lookup hands the socket: an error, or the addresses. */
function lookUp(resolve: Resolve, options: { all?: boolean } = {}) {
  return new Promise<{ error: Error | null; address: unknown }>((done) => {
    pinnedLookup({ resolve })('hooks.example', { all: options.all ?? false }, (error, address) =>
      done({ error, address }),
    );
  });
}

describe('pinnedLookup', () => {
  it('refuses a scoped link-local answer (fe80::1%eth0), classified without its zone', async () => {
    expect(classifyAddress('fe80::1%eth0')).toEqual({ addressClass: 'link-local' });
    const { error } = await lookUp(async () => [{ address: 'fe80::1%eth0', family: 6 }]);
    expect(error?.message).toMatch(/hooks\.example resolves to fe80::1%eth0, a link-local address/);
  });

  it('an answer it cannot check refuses the connection instead of escaping as a rejection', async () => {
    const { error } = await lookUp(async () => [{ address: 'not an address', family: 4 }]);
    expect(error?.message).toBe('Expected an IP address, got "not an address"');
  });

  it('hands the socket the checked public addresses', async () => {
    expect(await lookUp(async () => [{ address: '93.184.215.14', family: 4 }])).toEqual({
      error: null,
      address: '93.184.215.14',
    });
  });
});
