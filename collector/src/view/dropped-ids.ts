/**
 * Hashes remembered before the set starts over: about 40 MiB at most. A series still being
 * dropped after a million others is counted again.
 */
const MAX_HASHES = 1_000_000;

/**
 * Counts the distinct ids a limit turned away. Each id is kept as a 32-bit hash, not as its
 * string, so 100,000 dropped series cost a few MiB; two ids with the same hash count once, which
 * at 100,000 ids undercounts by about one.
 */
export class DroppedIds {
  readonly #hashes = new Set<number>();
  #count = 0;

  add(id: string): void {
    const hash = fnv1a(id);
    if (this.#hashes.has(hash)) return;
    if (this.#hashes.size >= MAX_HASHES) this.#hashes.clear();
    this.#hashes.add(hash);
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }
}

/** FNV-1a over UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
