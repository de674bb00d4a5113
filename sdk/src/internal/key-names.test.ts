import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetFaults } from './fault.js';
import { parseKeyNames } from './key-names.js';

afterEach(() => {
  resetFaults();
  vi.restoreAllMocks();
});

describe('HEADROOM_KEY_NAMES', () => {
  it('names a key by its fingerprint first, then by host, then `*`; else the fingerprint', () => {
    const names = parseKeyNames(
      'key-aaaaaaaa=prod, my-east.openai.azure.com = azure-east ,*=other',
    );
    expect(names.name('key-aaaaaaaa', 'my-east.openai.azure.com')).toBe('prod');
    expect(names.name('key-bbbbbbbb', 'MY-EAST.openai.azure.com')).toBe('azure-east');
    expect(names.name('key-bbbbbbbb', 'api.openai.com')).toBe('other');
    expect(parseKeyNames('').name('key-bbbbbbbb', undefined)).toBe('key-bbbbbbbb');
    expect(parseKeyNames(undefined).name('key-bbbbbbbb', 'x')).toBe('key-bbbbbbbb');
  });

  it('ignores an entry that is not match=name, and says so once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const names = parseKeyNames('prod,a=b=c,key-aaaaaaaa=ok');
    expect(names.name('key-aaaaaaaa', undefined)).toBe('ok');
    expect(names.name('prod', undefined)).toBe('prod');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe(
      '[headroom] HEADROOM_KEY_NAMES: entry "prod" is not match=name; it is ignored (further faults here are not logged)',
    );
  });
});
