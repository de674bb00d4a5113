/**
 * A value as an option error shows it: strings quoted (so `'500'` is not mistaken for 500, and a
 * newline cannot split the one-line message), everything else as its plain text.
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value !== null && typeof value === 'object')
    return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/** A bad option given to Headroom: thrown at the call that was given it, never later. */
export class HeadroomOptionsError extends TypeError {
  override name = 'HeadroomOptionsError';
}

/** Throws unless `value` is a non-empty string (or absent, when `optional`). */
export function expectString(name: string, value: unknown, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== 'string' || value === '') {
    throw new HeadroomOptionsError(
      `Expected \`${name}\` to be a non-empty string, got ${describe(value)}`,
    );
  }
}
