import { describe, expect, it } from 'vitest';
import { type Limits, SECOND_WINDOW_MS } from './budget.js';
import { fleetUtilization } from './fleet-share.js';
import { Guard, type LaneOptions, type Ticket } from './guard.js';
import { HeadroomGuardError } from './guard-error.js';
import { manualClock } from './manual-clock.js';

function setup(limits: Limits, options: Partial<Omit<LaneOptions, 'limits'>> = {}) {
  const clock = manualClock();
  const guard = new Guard(clock, () => 0);
  const lane = guard.lane('prod', 'openai', 'gpt-4o-mini', {
    limits,
    maxQueue: options.maxQueue ?? 1000,
    queueTimeoutMs: options.queueTimeoutMs ?? 600_000,
  });
  const start = clock.now();
  /** Asks for `count` admissions; records when (ms after start) each was admitted. */
  const ask = (count: number, request: { tenant?: string; tokens?: number; level?: number } = {}) =>
    Array.from({ length: count }, () => {
      const entry: Entry = { tenant: request.tenant ?? '', released: false };
      all.push(entry);
      const { tokens = 10, level } = request;
      lane.acquire({ tenant: entry.tenant, tokens, level, retry: false }).then(
        (ticket) => {
          entry.at = clock.now() - start;
          entry.ticket = ticket;
        },
        (error) => {
          entry.error = error;
        },
      );
      return entry;
    });
  const all: Entry[] = [];
  /** Releases the earliest admitted call not yet released, and says whose it was. */
  const releaseOldest = (): string => {
    const entry = all
      .filter((candidate) => candidate.ticket && !candidate.released)
      .sort((a, b) => a.at! - b.at!)[0]!;
    entry.released = true;
    entry.ticket!.release();
    return entry.tenant;
  };
  return { clock, lane, ask, start, releaseOldest };
}

interface Entry {
  tenant: string;
  at?: number;
  ticket?: Ticket;
  error?: unknown;
  released: boolean;
}

const limitHeaders = (values: Record<string, string>) => new Headers(values);
/** The provider answers `entry`: 600 RPM, `remaining` of them left. */
const answer = (entry: Entry, remaining: number) =>
  entry.ticket!.release(
    limitHeaders({
      'x-ratelimit-limit-requests': '600',
      'x-ratelimit-remaining-requests': String(remaining),
    }),
  );

describe('guard lane', () => {
  it('never has more in flight than its concurrency: the next goes when one is released', async () => {
    const { clock, lane, ask, releaseOldest } = setup({ concurrency: 3 });
    const calls = ask(10);
    await clock.advance(0);
    expect(calls.filter((call) => call.ticket).length).toBe(3);
    let peak = 0;
    for (let round = 0; round < 7; round++) {
      releaseOldest();
      await clock.advance(10);
      expect(calls.filter((call) => call.ticket).length).toBe(4 + round);
      peak = Math.max(peak, lane.budget.running);
    }
    expect(peak).toBe(3);
    expect(lane.counts).toMatchObject({ admitted: 3, delayed: 7 });
  });

  it('holds rpm/60 per second: 25 at once on 600 RPM go 10, 10, 5, a second (and a little) apart', async () => {
    const { clock, ask } = setup({ rpm: 600 });
    const calls = ask(25);
    await clock.advance(5000);
    const times = calls.map((call) => call.at);
    expect(times.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(times.slice(10, 20)).toEqual(Array(10).fill(SECOND_WINDOW_MS));
    expect(times.slice(20)).toEqual(Array(5).fill(2 * SECOND_WINDOW_MS));
  });

  it('holds rpm over the minute', async () => {
    // 61 RPM allows 2 in a second: the 62nd fits the second's share but not the minute.
    const { clock, ask } = setup({ rpm: 61 });
    const calls = ask(62);
    await clock.advance(120_000);
    expect(calls[60]!.at).toBe(30 * SECOND_WINDOW_MS);
    expect(calls[61]!.at).toBe(60_000);
  });

  it('holds tpm/60 per second by the estimated tokens, and a request bigger than the share goes alone', async () => {
    const { clock, ask } = setup({ tpm: 6000 });
    // 6000 TPM is 100 tokens a second: two of 40, then the third waits for the window.
    const small = ask(3, { tokens: 40 });
    await clock.advance(0);
    expect(small.map((call) => call.at)).toEqual([0, 0, undefined]);
    await clock.advance(2000);
    expect(small[2]!.at).toBe(SECOND_WINDOW_MS);
    const big = ask(2, { tokens: 500 });
    await clock.advance(5000);
    expect(big[0]!.at).toBe(2 * SECOND_WINDOW_MS);
    expect(big[1]!.at).toBe(3 * SECOND_WINDOW_MS);
  });

  it('a pause (a 429’s retry-after) holds every caller until it ends', async () => {
    const { clock, lane, ask, start } = setup({ concurrency: 10 });
    lane.pause(start + 2000);
    const calls = ask(3);
    await clock.advance(1999);
    expect(calls.every((call) => call.at === undefined)).toBe(true);
    await clock.advance(1);
    expect(calls.map((call) => call.at)).toEqual([2000, 2000, 2000]);
  });

  it('serves tenants in turn: one tenant’s backlog does not starve another', async () => {
    const { clock, ask, releaseOldest } = setup({ concurrency: 1 });
    ask(20, { tenant: 'a' });
    await clock.advance(0);
    ask(2, { tenant: 'b' });
    const served: string[] = [];
    for (let round = 0; round < 7; round++) {
      served.push(releaseOldest());
      await clock.advance(0);
    }
    // a's first call was running when b's arrived; then they alternate until b has none.
    expect(served).toEqual(['a', 'b', 'a', 'b', 'a', 'a', 'a']);
  });

  it('within a tenant, interactive goes before normal and normal before batch', async () => {
    const { clock, ask, releaseOldest } = setup({ concurrency: 1 });
    const [first] = ask(1, { level: 2 });
    const batch = ask(2, { level: 2 });
    const normal = ask(2);
    const interactive = ask(2, { level: 0 });
    await clock.advance(0);
    expect(first!.ticket).toBeDefined();
    const order: unknown[] = [];
    for (let round = 0; round < 6; round++) {
      releaseOldest();
      await clock.advance(1);
      const next = [...batch, ...normal, ...interactive].find(
        (call) => call.ticket && !order.includes(call),
      );
      order.push(next);
    }
    expect(order).toEqual([...interactive, ...normal, ...batch]);
  });

  it('a batch call that has waited 10 s ranks with fresh interactive ones, and then before them', async () => {
    const { clock, ask, releaseOldest } = setup({ concurrency: 1 });
    ask(1);
    const [batch] = ask(1, { level: 2 });
    await clock.advance(9_999);
    const [early] = ask(1, { level: 0 });
    await clock.advance(1);
    // At 10 s the batch call ranks as interactive: of equals the more urgent level goes first.
    releaseOldest();
    await clock.advance(0);
    expect(early!.ticket).toBeDefined();
    await clock.advance(5_000);
    // At 15 s it is more urgent than a fresh interactive call.
    const [fresh] = ask(1, { level: 0 });
    releaseOldest();
    await clock.advance(0);
    expect(batch!.ticket).toBeDefined();
    expect(fresh!.ticket).toBeUndefined();
  });

  it('a full queue refuses at once, and says the state', async () => {
    const { clock, ask } = setup({ concurrency: 1, rpm: 500 }, { maxQueue: 2 });
    const calls = ask(4);
    await clock.advance(0);
    expect(calls.map((call) => Boolean(call.ticket))).toEqual([true, false, false, false]);
    expect(calls[3]!.error).toBeInstanceOf(HeadroomGuardError);
    expect((calls[3]!.error as HeadroomGuardError).reason).toBe('queue_full');
    expect((calls[3]!.error as Error).message).toBe(
      'Headroom guard: queue full for openai/gpt-4o-mini on key prod: 1 running, 2 waiting, rpm 1/500',
    );
  });

  it('a call that waits past the queue timeout is refused, and the rest keep their place', async () => {
    const { clock, ask } = setup({ concurrency: 1 }, { queueTimeoutMs: 5000 });
    const calls = ask(2);
    await clock.advance(4999);
    expect(calls[1]!.error).toBeUndefined();
    await clock.advance(1);
    expect((calls[1]!.error as HeadroomGuardError).reason).toBe('timeout');
    expect((calls[1]!.error as Error).message).toBe(
      'Headroom guard: waited 5 s in the queue for openai/gpt-4o-mini on key prod: 1 running, 0 waiting',
    );
  });

  it('an aborted waiter leaves the line with the signal’s reason', async () => {
    const { clock, lane } = setup({ concurrency: 1 });
    await lane.acquire({ tenant: '', tokens: 1, retry: false });
    const controller = new AbortController();
    const waiting = lane.acquire({
      tenant: '',
      tokens: 1,
      retry: false,
      signal: controller.signal,
    });
    await clock.advance(0);
    expect(lane.queue.size).toBe(1);
    controller.abort(new Error('user left'));
    await expect(waiting).rejects.toThrow('user left');
    expect(lane.queue.size).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('with no ceiling known, probes one at a time, then paces by the limits the provider states', async () => {
    const { clock, ask } = setup({});
    const calls = ask(12);
    await clock.advance(0);
    expect(calls.filter((call) => call.ticket).length).toBe(1);
    answer(calls[0]!, 599);
    await clock.advance(0);
    // Limits known, but not yet whether anybody else sends on the key: one more probe.
    expect(calls.filter((call) => call.ticket).length).toBe(2);
    answer(calls[1]!, 598);
    await clock.advance(0);
    // Alone on the key, 600 RPM: 10 in the second, the probes among them.
    expect(calls.filter((call) => call.ticket).length).toBe(10);
  });

  it('with others on the key, takes its part of the fleet’s aim (95 %, less at a few a second), evenly spaced', async () => {
    const { clock, lane, ask } = setup({});
    const calls = ask(6);
    await clock.advance(0);
    answer(calls[0]!, 599);
    await clock.advance(0);
    await clock.advance(100);
    // Between this lane's two probes the key's remaining fell by 3: two were someone else's.
    answer(calls[1]!, 596);
    expect(lane.budget.fleet?.seen).toEqual({ own: 1, others: 2 });
    // Three replicas at 10 a second: the fleet aims at 1 − 0.75 × √3 / 10 of the ceiling, not
    // 95 %, to hold their spacings' floors and ceilings within the provider's seconds.
    const aim = fleetUtilization(3, 10);
    expect(aim).toBeCloseTo(0.87, 2);
    // A third of what the fleet sent: its part is aim × 1/3 of 600 RPM. It starts at half of
    // that (the others may not all have been seen yet): 100 × aim RPM.
    expect(lane.budget.part()).toBeCloseTo(aim / 6, 10);
    await clock.advance(3000);
    // The second probe went as the first came back; from it on, one each 60 s / (100 × aim).
    const times = calls.map((call) => call.at!);
    expect(times.slice(0, 2)).toEqual([0, 0]);
    for (let index = 2; index < times.length; index++)
      expect(times[index]).toBeCloseTo(((index - 1) * 60_000) / (100 * aim), 6);
    // The next reading, 3 s on (one own request, two others'), grows the part into its whole.
    answer(calls[2]!, 593);
    expect(lane.budget.part()).toBeCloseTo(aim / 3, 10);
  });

  it('the fleet’s aim: 95 % at many a second, less for many replicas at a few', () => {
    expect(fleetUtilization(4, 50)).toBe(0.95);
    expect(fleetUtilization(8, 50)).toBe(0.95);
    expect(fleetUtilization(4, 20)).toBeCloseTo(0.925, 10);
    expect(fleetUtilization(8, 20)).toBeCloseTo(1 - (0.75 * Math.sqrt(8)) / 20, 10);
    expect(fleetUtilization(64, 2)).toBe(0.5);
  });

  it('a 429 halves its part at once; the part grows back by its size each half second, and a tenth of the ceiling a second', async () => {
    const { clock, lane, ask } = setup({});
    const calls = ask(4);
    await clock.advance(0);
    answer(calls[0]!, 599);
    await clock.advance(0);
    answer(calls[1]!, 598);
    await clock.advance(0);
    expect(lane.budget.part()).toBe(1);
    lane.budget.rateLimited(clock.now());
    // The same burst's next 429 cuts no further.
    lane.budget.rateLimited(clock.now() + 999);
    expect(lane.budget.part()).toBe(0.5);
    await clock.advance(100);
    answer(calls[2]!, 597);
    // 100 ms later: 0.5 × (1 + 100/500) + 0.1 × 0.1.
    expect(lane.budget.part()).toBeCloseTo(0.61, 10);
    await clock.advance(2000);
    answer(calls[3]!, 596);
    expect(lane.budget.part()).toBe(1);
  });

  it('waits for the reset when the provider says no requests remain', async () => {
    const { clock, ask } = setup({ rpm: 6000 });
    const [first] = ask(1);
    await clock.advance(0);
    first!.ticket!.release(
      limitHeaders({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '3s' }),
    );
    const [next] = ask(1);
    await clock.advance(10_000);
    expect(next!.at).toBe(3000);
  });

  it('close to zero remaining, spreads what is left until the reset instead of spending it at once', async () => {
    const { clock, ask } = setup({ rpm: 100 });
    const [first] = ask(1);
    await clock.advance(0);
    // 5 of 100 left, the window resets in 5 s: about one a second, not 5 now and then nothing.
    first!.ticket!.release(
      limitHeaders({ 'x-ratelimit-remaining-requests': '5', 'x-ratelimit-reset-requests': '5s' }),
    );
    const calls = ask(5);
    await clock.advance(10_000);
    expect(calls.map((call) => call.at)).toEqual([1000, 2000, 3000, 4000, 5000]);
  });

  it('charges the estimate, then the usage: an answer smaller than its estimate frees the rest', async () => {
    const { clock, lane, ask } = setup({ tpm: 6000 });
    // 100 tokens a second: a request estimated at 100 fills it; its usage of 20 frees 80.
    const [big] = ask(1, { tokens: 100 });
    const [next] = ask(1, { tokens: 60 });
    await clock.advance(0);
    expect(next!.at).toBeUndefined();
    lane.correct(big!.ticket!.charge, 12, 8);
    big!.ticket!.release();
    await clock.advance(0);
    expect(next!.at).toBe(0);
    expect(lane.budget.outputEstimate()).toBe(8);
  });
});
