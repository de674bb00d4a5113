import type { GuardClock } from './clock.js';

/** A clock that moves only when told: `advance` runs the timers due, in order. For tests. */
export interface ManualClock extends GuardClock {
  /** Moves time on by `ms`, firing each timer due at its own time, and lets promises settle. */
  advance(ms: number): Promise<void>;
  /** Timers set and not yet fired or cleared. */
  pending(): number;
}

export function manualClock(start = 1_000_000): ManualClock {
  let now = start;
  let sequence = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    setTimeout(fn, ms) {
      sequence++;
      timers.set(sequence, { at: now + Math.max(0, ms), fn });
      return sequence;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    pending: () => timers.size,
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await settle();
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of timers) {
          if (entry[1].at > end) continue;
          if (next === undefined || entry[1].at < next[1].at) next = entry;
        }
        if (next === undefined) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
      await settle();
    },
  };
}
