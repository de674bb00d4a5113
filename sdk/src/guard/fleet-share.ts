/**
 * How long the guard looks back to tell its own requests from the others' on the key. Long
 * enough to hold a few readings at a few requests a second, short enough to follow the fleet.
 */
export const MEASURE_MS = 1000;
/** With others on the key, the fleet aims at this part of the ceiling: room for their jitter. */
export const FLEET_UTILIZATION = 0.95;

/**
 * The part of the ceiling `replicas` replicas aim at when the provider holds them to `perSecond`
 * in each of its seconds. Each replica's evenly spaced requests put the floor or the ceiling of
 * its rate into any one second, depending on where its spacing falls: N replicas at unrelated
 * phases stray from their sum by up to √N / 2 (a standard deviation), which is nothing at 50 a
 * second and a 429 every few seconds for 8 replicas at 20. Room for 1.5 of those is kept.
 */
export function fleetUtilization(replicas: number, perSecond: number): number {
  return Math.max(0.5, Math.min(FLEET_UTILIZATION, 1 - (0.75 * Math.sqrt(replicas)) / perSecond));
}
/**
 * How fast a part may grow once nothing says stop: by its own size each half second
 * (multiplicative, to take up at once what replicas that finished leave) and by a tenth of the
 * ceiling a second (additive, for a part cut small).
 */
const DOUBLING_MS = 500;
const GROWTH_PER_SECOND = 0.1;
/** A 429 the lane did not expect halves its share, at most once in this long (one burst's 429s). */
const CUT_INTERVAL_MS = 1000;
const CUT = 0.5;
/** The smallest part of the ceiling a lane keeps, so it always learns and never starves. */
export const MIN_SHARE = 1 / 64;

interface Interval {
  at: number;
  own: number;
  others: number;
}

/**
 * This replica's part of a key that others may share, with no Redis to count them: learned from
 * the provider's `remaining` header. Between two of this lane's readings (in the order they were
 * sent), `remaining` fell by what the whole fleet sent; this lane knows what it sent itself; the
 * rest is the others'. The lane then takes its part of {@link fleetUtilization} of the ceiling,
 * in proportion to what it sent, as every replica does: the parts add up to that whole.
 * A 429 the lane did not expect cuts its part in half (multiplicative decrease); a part grows
 * back toward what the readings allow at a bounded pace (additive increase, and doubling each
 * half second so that what finished replicas leave is taken up at once).
 *
 * The readings give a lower bound of the others: a window that refills (a sliding minute, a
 * reset) only makes `remaining` fall less, so a replica alone never takes others for real.
 */
export class FleetShare {
  /** This lane's part of the ceilings, from {@link MIN_SHARE} to 1. */
  share = 1;
  /** Whether two readings have told whether anybody else sends on the key. */
  measured = false;
  /** Others' requests seen in the last {@link MEASURE_MS}, and this lane's own. */
  readonly seen = { own: 0, others: 0 };
  /** The key's rpm/60 once known: with few a second, the fleet keeps more room. */
  perSecond: number | undefined;
  #last: { sequence: number; remaining: number } | undefined;
  #intervals: Interval[] = [];
  #updatedAt = Number.NEGATIVE_INFINITY;
  #cutAt = Number.NEGATIVE_INFINITY;

  /**
   * The provider said `remaining` requests are left, on the answer to this lane's attempt number
   * `sequence` (attempts counted from 1 as they were admitted).
   */
  observe(now: number, sequence: number, remaining: number): void {
    const last = this.#last;
    // An older attempt's answer, come back late: the one after it has been read already.
    if (last !== undefined && sequence <= last.sequence) return;
    this.#last = { sequence, remaining };
    if (last === undefined) return;
    const fleet = last.remaining - remaining;
    // The window refilled or reset in between: this interval says nothing about the others.
    if (fleet < 0) return;
    const own = sequence - last.sequence;
    this.#intervals.push({ at: now, own, others: Math.max(0, fleet - own) });
    const first = !this.measured;
    this.measured = true;
    this.#update(now);
    // Replicas started together measure at slightly different moments, the first ones seeing
    // fewer others than there will be: a part starts at half and grows into its whole.
    if (first && this.seen.others > 0) this.share = Math.max(MIN_SHARE, this.share / 2);
  }

  /** A 429 this lane's own budget did not expect: the key is fuller than its part allows. */
  rateLimited(now: number): void {
    if (now - this.#cutAt < CUT_INTERVAL_MS) return;
    this.#cutAt = now;
    this.#updatedAt = now;
    this.share = Math.max(MIN_SHARE, this.share * CUT);
  }

  #update(now: number): void {
    const intervals = this.#intervals;
    let expired = 0;
    while (expired < intervals.length && intervals[expired]!.at <= now - MEASURE_MS) expired++;
    if (expired > 0) intervals.splice(0, expired);
    let own = 0;
    let others = 0;
    for (const interval of intervals) {
      own += interval.own;
      others += interval.others;
    }
    this.seen.own = own;
    this.seen.others = others;
    // As many replicas as this one's part says, if all send alike.
    const aim =
      this.perSecond === undefined || own === 0
        ? FLEET_UTILIZATION
        : fleetUtilization((own + others) / own, this.perSecond);
    const target = others === 0 ? 1 : (aim * own) / (own + others);
    const elapsed = Number.isFinite(this.#updatedAt) ? Math.max(0, now - this.#updatedAt) : 0;
    this.#updatedAt = now;
    const grown = this.share * (1 + elapsed / DOUBLING_MS) + (GROWTH_PER_SECOND * elapsed) / 1000;
    this.share = Math.max(MIN_SHARE, Math.min(target, Math.max(this.share, grown)));
  }
}
