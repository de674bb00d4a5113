import { reportFault } from '../../internal/fault.js';

/** Anything whose members are read by name. */
export type Holder = Record<PropertyKey, unknown>;

export function isHolder(value: unknown): value is Holder {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/**
 * Says, once per library and member, that a private member Headroom needs is not there (an
 * upstream rename, or a version outside the supported range), and what is left undone.
 */
export function reportMissing(library: string, member: string, consequence: string): void {
  reportFault(
    `${library} has no \`${member}\``,
    new TypeError(`not a supported version of ${library}? ${consequence}`),
  );
}

/**
 * A method by name, own or inherited; undefined, said once, when it is not there. `library`
 * undefined reads an optional member, which is not said.
 */
export function readMethod<F extends Function>(
  owner: unknown,
  member: string,
  library?: string,
  consequence = 'its calls go on uninstrumented',
): F | undefined {
  const value = isHolder(owner) ? owner[member] : undefined;
  if (typeof value === 'function') return value as F;
  if (library !== undefined) reportMissing(library, member, consequence);
  return undefined;
}

/**
 * Replaces a method with `wrap(original)` where it is read (own or inherited, set on `owner`);
 * returns how to put the original back, or undefined when there was no such method.
 */
export function replaceMethod<F extends Function>(
  owner: unknown,
  member: string,
  wrap: (original: F) => F,
  library?: string,
  consequence?: string,
): (() => void) | undefined {
  const original = readMethod<F>(owner, member, library, consequence);
  if (original === undefined || !isHolder(owner)) return undefined;
  const own = Object.hasOwn(owner, member);
  owner[member] = wrap(original);
  return () => {
    if (own) owner[member] = original;
    else delete owner[member];
  };
}

/** A number-valued member such as `maxRetries`; undefined when it is not a number. */
export function readNumber(owner: unknown, member: string): number | undefined {
  const value = isHolder(owner) ? owner[member] : undefined;
  return typeof value === 'number' ? value : undefined;
}

/** Marks a function as Headroom's wrapper, holding the original, so nothing is wrapped twice. */
export const WRAPPED = Symbol.for('headroom.wrapped');

export function isWrapped(fn: unknown): boolean {
  return typeof fn === 'function' && WRAPPED in fn;
}

export function mark<T extends Function>(wrapper: T, original: Function): T {
  Object.defineProperty(wrapper, WRAPPED, { value: original });
  return wrapper;
}
