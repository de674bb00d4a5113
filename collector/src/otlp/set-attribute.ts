import type { Attributes, AttributeValue } from './types.js';

/**
 * `attributes[key] = value`, except that a key of `__proto__` becomes an own property instead of
 * replacing the object's prototype: keys are the sender's text.
 */
export function setAttribute(attributes: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(attributes, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    attributes[key] = value;
  }
}
