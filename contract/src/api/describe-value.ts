export const LONGEST_SHOWN = 60;

/**
 * A value as an error shows it: strings quoted (so `'500'` is not mistaken for 500, and a newline
 * cannot split the one-line message), long ones by length, everything else as its plain text.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    return value.length > LONGEST_SHOWN
      ? `a string of ${value.length} characters`
      : JSON.stringify(value);
  }
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}
