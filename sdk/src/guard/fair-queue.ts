/** How urgent a guarded call is: `interactive` is admitted before `normal`, `normal` before `batch`. */
export type Priority = 'interactive' | 'normal' | 'batch';
export const PRIORITIES: readonly Priority[] = ['interactive', 'normal', 'batch'];
/** The level of a priority in the queue: 0 is served first. */
export const priorityLevel = (priority: Priority | undefined): number =>
  priority === undefined ? 1 : PRIORITIES.indexOf(priority);

/**
 * Every this long in the queue, a waiter counts one level more urgent: a batch call that has
 * waited 10 s ranks with a fresh interactive one, and after that goes before it. Low priority is
 * served later, never starved.
 */
export const AGING_MS = 5000;

interface Queued {
  tenant: string;
  /** 0 (interactive), 1 (normal, the default) or 2 (batch). */
  level?: number | undefined;
  /** When it joined the line, on the clock given to `peek`. */
  enqueuedAt: number;
}

/** One tenant's waiters, oldest first within each level. */
type Levels<T> = T[][];

/**
 * Waiters grouped by tenant, served in turn: each tenant with waiters gets the next slot in
 * rotation. Within a tenant, the most urgent waiter goes first: the lowest level, less one level
 * for each {@link AGING_MS} it has waited, and of equals the one of the more urgent level, then
 * the oldest. One tenant with a thousand waiters cannot starve another with one, and a stream of
 * interactive calls cannot starve a batch.
 */
export class FairQueue<T extends Queued> {
  readonly #byTenant = new Map<string, Levels<T>>();
  /** Tenants with waiters, in rotation order; `#turn` indexes the one whose turn it is. */
  readonly #rotation: string[] = [];
  #turn = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    let levels = this.#byTenant.get(item.tenant);
    if (levels === undefined) {
      levels = PRIORITIES.map(() => []);
      this.#byTenant.set(item.tenant, levels);
      // A tenant with nobody waiting goes next, as new flows do in fair queueing: it has had
      // nothing of this round yet, and then takes its turn in the rotation like the rest.
      this.#rotation.splice(this.#turn, 0, item.tenant);
    }
    levels[levelOf(item)]!.push(item);
    this.#size++;
  }

  /** The waiter whose turn it is at `now`, left in place. */
  peek(now: number): T | undefined {
    if (this.#size === 0) return undefined;
    let best: T | undefined;
    let bestRank = Number.POSITIVE_INFINITY;
    for (const [level, waiting] of this.#byTenant.get(this.#rotation[this.#turn]!)!.entries()) {
      const head = waiting[0];
      if (head === undefined) continue;
      const rank = level - Math.floor(Math.max(0, now - head.enqueuedAt) / AGING_MS);
      // Levels are looked at most urgent first: of equal ranks, the more urgent level wins.
      if (rank < bestRank) {
        best = head;
        bestRank = rank;
      }
    }
    return best;
  }

  /**
   * Takes `item`, which `peek` gave, as served, and passes the turn to the next tenant; false if
   * it has left the line meanwhile.
   */
  serve(item: T): boolean {
    return this.#take(item, true);
  }

  /** Takes a waiter out of line (timed out, aborted). */
  remove(item: T): boolean {
    return this.#take(item, false);
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const tenant of this.#rotation)
      for (const waiting of this.#byTenant.get(tenant)!) yield* waiting;
  }

  #take(item: T, served: boolean): boolean {
    const levels = this.#byTenant.get(item.tenant);
    const waiting = levels?.[levelOf(item)];
    const at = waiting?.indexOf(item) ?? -1;
    if (levels === undefined || waiting === undefined || at < 0) return false;
    waiting.splice(at, 1);
    this.#size--;
    const index = this.#rotation.indexOf(item.tenant);
    if (levels.every((level) => level.length === 0)) {
      this.#byTenant.delete(item.tenant);
      this.#rotation.splice(index, 1);
      if (index < this.#turn) this.#turn--;
    } else if (served && index === this.#turn) {
      this.#turn++;
    }
    if (this.#rotation.length === 0 || this.#turn >= this.#rotation.length) this.#turn = 0;
    return true;
  }
}

function levelOf(item: Queued): number {
  const level = item.level ?? 1;
  return level >= 0 && level < PRIORITIES.length ? level : 1;
}
