/**
 * At most `limit` tasks at once; the rest wait in order. The usual first fix for a fan-out:
 * `const limit = semaphore(3); await Promise.all(chunks.map((chunk) => limit(() => call(chunk))))`.
 */
export function semaphore(limit: number) {
  if (!Number.isInteger(limit) || limit < 1)
    throw new TypeError(`Expected \`limit\` to be an integer from 1 up, got ${limit}`);
  let running = 0;
  const waiting: Array<() => void> = [];
  return async function limited<T>(task: () => Promise<T>): Promise<T> {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
