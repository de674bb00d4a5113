/**
 * Waiters grouped by tenant, served in turn: each tenant with waiters gets the next slot in
 * rotation, and within a tenant the oldest goes first. One tenant with a thousand waiters cannot
 * starve another with one.
 */
export class FairQueue<T extends { tenant: string }> {
  readonly #byTenant = new Map<string, T[]>();
  /** Tenants with waiters, in rotation order; `#turn` indexes the one whose turn it is. */
  readonly #rotation: string[] = [];
  #turn = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    let waiting = this.#byTenant.get(item.tenant);
    if (waiting === undefined) {
      waiting = [];
      this.#byTenant.set(item.tenant, waiting);
      // A tenant with nobody waiting goes next, as new flows do in fair queueing: it has had
      // nothing of this round yet, and then takes its turn in the rotation like the rest.
      this.#rotation.splice(this.#turn, 0, item.tenant);
    }
    waiting.push(item);
    this.#size++;
  }

  /** The waiter whose turn it is, left in place. */
  peek(): T | undefined {
    if (this.#size === 0) return undefined;
    return this.#byTenant.get(this.#rotation[this.#turn]!)![0];
  }

  /**
   * Takes `item`, which `peek` gave, as served, and passes the turn to the next tenant; false if
   * it has left the line meanwhile.
   */
  serve(item: T): boolean {
    const waiting = this.#byTenant.get(item.tenant);
    if (waiting === undefined || !waiting.includes(item)) return false;
    this.#take(item, true);
    return true;
  }

  /** Takes a waiter out of line (timed out, aborted). */
  remove(item: T): boolean {
    const waiting = this.#byTenant.get(item.tenant);
    if (waiting === undefined || !waiting.includes(item)) return false;
    this.#take(item, false);
    return true;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const tenant of this.#rotation) yield* this.#byTenant.get(tenant)!;
  }

  #take(item: T, served: boolean): void {
    const waiting = this.#byTenant.get(item.tenant)!;
    waiting.splice(waiting.indexOf(item), 1);
    this.#size--;
    const index = this.#rotation.indexOf(item.tenant);
    if (waiting.length === 0) {
      this.#byTenant.delete(item.tenant);
      this.#rotation.splice(index, 1);
      if (index < this.#turn) this.#turn--;
    } else if (served && index === this.#turn) {
      this.#turn++;
    }
    if (this.#rotation.length === 0 || this.#turn >= this.#rotation.length) this.#turn = 0;
  }
}
