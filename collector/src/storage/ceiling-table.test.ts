import { describe, expect, it } from 'vitest';
import { CeilingConflictError } from './ceiling-conflict-error.js';
import { useTemporaryDirectory } from './test-helpers.js';
import type { Ceiling } from './types.js';

const full: Ceiling = {
  id: 'prod-mini',
  key: 'prod',
  provider: 'openai',
  model: 'gpt-4o-mini',
  rpm: 500,
  tpm: 200_000,
  concurrency: 20,
  note: 'tier 3, raised 2025-01',
  updatedAt: 1_700_000_000_000,
};
const sparse: Ceiling = {
  id: 'any-anthropic',
  key: '*',
  provider: 'anthropic',
  model: '*',
  tpm: 80_000,
  updatedAt: 1_700_000_000_001,
};

describe('ceilings', () => {
  const temporary = useTemporaryDirectory();

  it('round-trips every field exactly, absent optional fields staying absent', () => {
    const store = temporary.open();
    expect(store.putCeiling(full)).toStrictEqual(full);
    expect(store.putCeiling(sparse)).toStrictEqual(sparse);
    expect(store.getCeiling('prod-mini')).toStrictEqual(full);
    expect(store.getCeiling('any-anthropic')).toStrictEqual(sparse);
    expect(store.listCeilings()).toStrictEqual([full, sparse]);
  });

  it('replaces by id, clearing fields the new value lacks, and keeps the list order', () => {
    const store = temporary.open();
    store.putCeiling(full);
    store.putCeiling(sparse);
    const replaced: Ceiling = { ...sparse, id: full.id, key: 'staging', updatedAt: 5 };
    expect(store.putCeiling(replaced)).toStrictEqual(replaced);
    expect(store.listCeilings()).toStrictEqual([replaced, sparse]);
  });

  it('answers undefined and false for an unknown id', () => {
    const store = temporary.open();
    expect(store.getCeiling('nope')).toBeUndefined();
    expect(store.deleteCeiling('nope')).toBe(false);
  });

  it('deletes', () => {
    const store = temporary.open();
    store.putCeiling(full);
    expect(store.deleteCeiling(full.id)).toBe(true);
    expect(store.getCeiling(full.id)).toBeUndefined();
    expect(store.listCeilings()).toStrictEqual([]);
  });

  it('refuses a second ceiling for the same triple, naming the triple and the holder', () => {
    const store = temporary.open();
    store.putCeiling(full);
    const duplicate = { ...full, id: 'other', rpm: 1 };
    expect(() => store.putCeiling(duplicate)).toThrow(
      new CeilingConflictError('other', 'prod-mini', 'prod', 'openai', 'gpt-4o-mini'),
    );
    try {
      store.putCeiling(duplicate);
    } catch (error) {
      expect(error).toBeInstanceOf(CeilingConflictError);
      expect((error as Error).message).toBe(
        'Ceiling `other` is for key `prod`, provider `openai`, model `gpt-4o-mini`, ' +
          'which ceiling `prod-mini` already holds',
      );
      expect(error).toMatchObject({ existingId: 'prod-mini', id: 'other' });
    }
    expect(store.listCeilings()).toStrictEqual([full]);
  });

  it('refuses moving a ceiling onto a triple another id holds, leaving both unchanged', () => {
    const store = temporary.open();
    store.putCeiling(full);
    store.putCeiling(sparse);
    const moved = { ...sparse, key: full.key, provider: full.provider, model: full.model };
    expect(() => store.putCeiling(moved)).toThrow(CeilingConflictError);
    expect(store.listCeilings()).toStrictEqual([full, sparse]);
  });

  it('treats `*` as a value of its own in the unique triple', () => {
    const store = temporary.open();
    store.putCeiling({ ...full, id: 'a', model: '*' });
    store.putCeiling({ ...full, id: 'b' });
    expect(store.listCeilings().map((ceiling) => ceiling.id)).toStrictEqual(['a', 'b']);
  });
});
