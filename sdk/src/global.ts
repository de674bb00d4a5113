import type { Headroom } from './headroom.js';

const KEY = Symbol.for('@headroom/sdk');

/** The instance `@headroom/sdk/register` started, if any. */
export function getHeadroom(): Headroom | undefined {
  return (globalThis as Record<symbol, Headroom | undefined>)[KEY];
}

export function setHeadroom(headroom: Headroom): void {
  (globalThis as Record<symbol, Headroom | undefined>)[KEY] = headroom;
}
