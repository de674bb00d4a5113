import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as contract from '../src/index.js';
import * as semconv from '../src/semconv.js';

describe('@headroom/contract/semconv', () => {
  it('imports nothing, so the SDK that loads it loads no schema library', () => {
    const source = readFileSync(new URL('../src/semconv.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*import\b/m);
    expect(source).not.toMatch(/\bfrom\s+['"]/);
    expect(source).not.toMatch(/\bimport\s*\(|\brequire\s*\(/);
  });

  it('names only gen_ai.* and headroom.* things, and the standard HTTP, server and error ones', () => {
    const names = Object.entries(semconv).filter(([name]) => /^(ATTR|METRIC)_/.test(name));
    expect(names.length).toBeGreaterThan(40);
    for (const [name, value] of names)
      expect(value, name).toMatch(/^(gen_ai|headroom|http|server|error)\.[a-z_.]+$/);
    const values = names.map(([, value]) => value);
    expect(new Set(values).size).toBe(values.length);
  });

  it('is all in the root module too, beside what only the collector reads', () => {
    for (const [name, value] of Object.entries(semconv))
      expect(contract, name).toHaveProperty(name, value);
    expect(contract.ATTR_SERVICE_INSTANCE_ID).toBe('service.instance.id');
    expect(semconv).not.toHaveProperty('ATTR_SERVICE_INSTANCE_ID');
  });
});
