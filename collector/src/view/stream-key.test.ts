import { describe, expect, it } from 'vitest';
import { streamKey } from './stream-key.js';

describe('streamKey', () => {
  it('is the same whatever order the attributes come in, and differs when any value does', () => {
    const one = streamKey({ 'headroom.key': 'prod', 'gen_ai.request.model': 'o3', tenant: 'a' });
    expect(streamKey({ tenant: 'a', 'gen_ai.request.model': 'o3', 'headroom.key': 'prod' })).toBe(
      one,
    );
    expect(
      streamKey({ 'headroom.key': 'prod', 'gen_ai.request.model': 'o3', tenant: 'b' }),
    ).not.toBe(one);
    expect(
      streamKey({ 'headroom.key': 'prod', 'gen_ai.request.model': 'o3', tenant: 'a', x: 1 }),
    ).not.toBe(one);
  });

  it('writes the contract’s names in two characters and other names in full', () => {
    expect(streamKey({ 'headroom.key': 'prod', 'custom.name': 3 })).toBe(
      'custom.name=3\u0001\u0002I=prod\u0001',
    );
  });
});
