// The four ways to make many model calls that the goodput benchmark compares. Each takes the
// calls as thunks and settles them all; none throws.
import pLimit from 'p-limit';

export const STRATEGIES = ['plain', 'semaphore3', 'plimit8', 'guard'];
/** On a fleet, the guard also runs without Redis: each replica on its own. */
export const FLEET_STRATEGIES = ['plain', 'semaphore3', 'plimit8', 'guardLocal', 'guard'];

export const LABELS = {
  plain: 'plain `Promise.all`',
  semaphore3: 'semaphore of 3 + retry',
  plimit8: '`p-limit(8)` + retry',
  guard: 'Headroom guard',
  guardLocal: 'Headroom guard, no Redis',
};

/** Runs `calls` (functions that make one model call each) the way `strategy` does. */
export function runCalls(strategy, calls) {
  switch (strategy) {
    case 'plain':
    case 'guard':
    case 'guardLocal':
      return Promise.allSettled(calls.map((call) => call()));
    case 'semaphore3':
      return Promise.allSettled(calls.map(semaphore(3, (call) => withRetry(call))));
    case 'plimit8': {
      const limit = pLimit(8);
      return Promise.allSettled(calls.map((call) => limit(() => withRetry(call))));
    }
    default:
      throw new Error(`unknown strategy ${strategy}`);
  }
}

/** The usual hand-written semaphore: at most `size` of `fn` at once. */
function semaphore(size, fn) {
  let running = 0;
  const waiting = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return async (item) => {
    if (running >= size) await new Promise((resolve) => waiting.push(resolve));
    running++;
    try {
      return await fn(item);
    } finally {
      release();
    }
  };
}

/** The usual app-level retry: 5 attempts, exponential backoff with full jitter, on 429 and 5xx. */
async function withRetry(call, attempts = 5) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const status = error?.status;
      const retryable = status === 429 || (typeof status === 'number' && status >= 500);
      if (!retryable || attempt === attempts - 1) throw error;
      const delay = Math.random() * Math.min(8000, 500 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
