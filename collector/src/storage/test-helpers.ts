import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore } from './open-store.js';
import type { Store } from './store.js';

/** A fresh directory per test, removed (with every store opened in it closed) after the test. */
export function useTemporaryDirectory(): { directory: () => string; open: () => Store } {
  let directory: string | undefined;
  const opened: Store[] = [];
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });
  const current = () => {
    directory ??= mkdtempSync(join(tmpdir(), 'headroom-store-'));
    return directory;
  };
  return {
    directory: current,
    open() {
      const store = openStore(current());
      opened.push(store);
      return store;
    },
  };
}
