import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FLEET_SECOND_WINDOW_MS,
  MINUTE_BUCKET_MS,
  SECOND_BUCKET_MS,
  SharedBudgets,
} from '../src/guard/shared-budget.js';
import { startRedis } from './fleet.js';
import { resources } from './mock.js';

// The fleet's budget script on a real redis-server: what it admits, how long it says to wait,
// and that its windows stay the same size whatever the rate. Waits are read from the script's
// answers (on Redis's clock), never slept.

const redisServer = spawnSync('redis-server', ['--version']).status === 0;
const open = resources();
afterEach(() => open.close());

async function connected(): Promise<{ budgets: SharedBudgets; raw: Redis }> {
  const redis = await startRedis(open);
  const budgets = SharedBudgets.connect(redis.url, 'test');
  open.add(() => budgets.close());
  await new Promise<void>((resolve) => {
    const ready = () => {
      if (budgets.up) resolve();
    };
    budgets.lanes.add(ready);
    ready();
  });
  const raw = new Redis(redis.url);
  open.add(() => raw.quit());
  return { budgets, raw };
}

describe.skipIf(!redisServer)("the fleet's budget on Redis", () => {
  it('admits rpm/60 per second window, then says to wait until the oldest bucket leaves it', async () => {
    const { budgets } = await connected();
    const limits = { rpm: 120 };
    const first = await budgets.admit('lane', { tokens: 1 }, limits);
    const second = await budgets.admit('lane', { tokens: 1 }, limits);
    const third = await budgets.admit('lane', { tokens: 1 }, limits);
    expect([first.admitted, second.admitted, third.admitted]).toEqual([true, true, false]);
    // The first's bucket ends within 10 ms of it; it counts for the window after that.
    const latest = (Math.floor(first.value / SECOND_BUCKET_MS) + 1) * SECOND_BUCKET_MS;
    expect(third.value).toBeGreaterThan(0);
    expect(third.value).toBeLessThanOrEqual(latest + FLEET_SECOND_WINDOW_MS - first.value);
    expect(third.value).toBeGreaterThan(FLEET_SECOND_WINDOW_MS - 200);
  });

  it('an attempt that never went out gives its charge back; a slot is freed on release', async () => {
    const { budgets } = await connected();
    const limits = { rpm: 60, concurrency: 1 };
    const first = await budgets.admit('lane', { tokens: 5 }, limits);
    expect(first.admitted).toBe(true);
    const full = await budgets.admit('lane', { tokens: 5 }, limits);
    expect(full).toMatchObject({ admitted: false, value: -1 });
    await budgets.release('lane', first.id, { at: first.value, tokens: 5 });
    const again = await budgets.admit('lane', { tokens: 5 }, limits);
    expect(again.admitted).toBe(true);
    // Sent, this one keeps its charge: the window's one request a second is taken.
    await budgets.release('lane', again.id);
    const after = await budgets.admit('lane', { tokens: 5 }, limits);
    expect(after.admitted).toBe(false);
    expect(after.value).toBeGreaterThan(FLEET_SECOND_WINDOW_MS - 200);
  });

  it('tokens: a correction to the usage makes room; a whole minute of them waits for the minute', async () => {
    const { budgets } = await connected();
    const limits = { tpm: 600 };
    const first = await budgets.admit('lane', { tokens: 8 }, limits);
    expect(first.admitted).toBe(true);
    expect((await budgets.admit('lane', { tokens: 8 }, limits)).admitted).toBe(false);
    await budgets.correct('lane', first.value, { tokens: 8 }, { tokens: 2 });
    expect((await budgets.admit('lane', { tokens: 8 }, limits)).admitted).toBe(true);

    const minute = { tpm: 6000 };
    expect((await budgets.admit('big', { tokens: 6000 }, minute)).admitted).toBe(true);
    const next = await budgets.admit('big', { tokens: 1 }, minute);
    expect(next.admitted).toBe(false);
    expect(next.value).toBeGreaterThan(60_000 - 1000);
    expect(next.value).toBeLessThanOrEqual(60_000 + MINUTE_BUCKET_MS);
  });

  it('input and output limited apart are held apart: long prompts fill the input, answers the output', async () => {
    const { budgets, raw } = await connected();
    // 100 input and 10 output tokens a second. As one budget the size of the tighter (10 a
    // second) a 50-token request would go alone; apart, two go, and the third waits.
    const limits = { itpm: 6000, otpm: 600 };
    const prompt = { tokens: 50, output: 5 };
    const first = await budgets.admit('apart', prompt, limits);
    const second = await budgets.admit('apart', prompt, limits);
    const third = await budgets.admit('apart', prompt, limits);
    expect([first.admitted, second.admitted, third.admitted]).toEqual([true, true, false]);
    expect(third.value).toBeGreaterThan(FLEET_SECOND_WINDOW_MS - 200);
    expect(await raw.hmget('test:apart:windows', 'si', 'so', 'st', 'mi', 'mo')).toEqual([
      '90',
      '10',
      '100',
      '90',
      '10',
    ]);
    // The output is full, the input is not: a request with no output to speak of still goes.
    expect((await budgets.admit('apart', { tokens: 9, output: 0 }, limits)).admitted).toBe(true);
    // The first answered with 1 output token: 4 of the output come back, and a short request fits.
    await budgets.correct('apart', first.value, prompt, { tokens: 46, output: 1 });
    expect(await raw.hmget('test:apart:windows', 'si', 'so')).toEqual(['99', '6']);
    // The input is full now: an answer-heavy request waits for it.
    expect((await budgets.admit('apart', { tokens: 4, output: 2 }, limits)).admitted).toBe(false);
    // An attempt that never went out gives both back.
    await budgets.release('apart', second.id, { at: second.value, ...prompt });
    expect(await raw.hmget('test:apart:windows', 'si', 'so', 'sr')).toEqual(['54', '1', '2']);
    // A lane that does not tell them apart counts tokens in all only.
    await budgets.admit('whole', { tokens: 50 }, { tpm: 6000 });
    expect(await raw.hmget('test:whole:windows', 'st', 'si', 'so')).toEqual(['50', null, null]);
  });

  it('a correction or a give-back after the windows expired brings nothing back', async () => {
    const { budgets, raw } = await connected();
    const first = await budgets.admit('idle', { tokens: 8 }, { rpm: 60, tpm: 600 });
    expect(first.admitted).toBe(true);
    expect(await raw.exists('test:idle:windows')).toBe(1);
    // As Redis does a minute after the last admission (the hash's TTL).
    await raw.del('test:idle:windows');
    await budgets.correct('idle', first.value, { tokens: 8 }, { tokens: 500 });
    await budgets.release('idle', first.id, { at: first.value, tokens: 8 });
    expect(await raw.exists('test:idle:windows')).toBe(0);
    // And the next admission starts from empty windows.
    expect((await budgets.admit('idle', { tokens: 8 }, { rpm: 60, tpm: 600 })).admitted).toBe(true);
    expect(await raw.hmget('test:idle:windows', 'mr', 'mt')).toEqual(['1', '8']);
  });

  it('after a pause the second window holds only what is still in it: its chain, its totals', async () => {
    const { budgets, raw } = await connected();
    const limits = { rpm: 600, tpm: 60_000 };
    const first = await budgets.admit('sparse', { tokens: 7 }, limits);
    await new Promise((resolve) =>
      setTimeout(resolve, FLEET_SECOND_WINDOW_MS + 2 * SECOND_BUCKET_MS),
    );
    const second = await budgets.admit('sparse', { tokens: 5 }, limits);
    expect([first.admitted, second.admitted]).toEqual([true, true]);
    const bucket = (at: number) => Math.floor(at / SECOND_BUCKET_MS);
    const fields = await raw.hgetall('test:sparse:windows');
    // The first's bucket left the second's window: its fields are gone, the totals are the second's.
    expect(fields[`sr${bucket(first.value)}`]).toBeUndefined();
    expect(fields[`sn${bucket(first.value)}`]).toBeUndefined();
    expect([fields.sr, fields.st]).toEqual(['1', '5']);
    expect([fields.Sf, fields.Sh]).toEqual([
      String(bucket(second.value)),
      String(bucket(second.value)),
    ]);
    // The minute still holds both, chained in order.
    const minute = (at: number) => Math.floor(at / MINUTE_BUCKET_MS);
    expect([fields.mr, fields.mt]).toEqual(['2', '12']);
    if (minute(first.value) !== minute(second.value))
      expect(fields[`mn${minute(first.value)}`]).toBe(String(minute(second.value)));
  });

  it('thousands of admissions keep the windows at their bucket count: the same work each', async () => {
    const { budgets, raw } = await connected();
    const limits = { rpm: 10_000_000, tpm: 1_000_000_000 };
    for (let index = 0; index < 3000; index++) {
      expect((await budgets.admit('busy', { tokens: 10 }, limits)).admitted).toBe(true);
    }
    const buckets =
      Math.ceil(FLEET_SECOND_WINDOW_MS / SECOND_BUCKET_MS) + 2 + 60_000 / MINUTE_BUCKET_MS + 2;
    // Per bucket its requests, its tokens and the link to the next; the totals and markers.
    const fields = await raw.hlen('test:busy:windows');
    expect(fields).toBeLessThanOrEqual(3 * buckets + 10);
    const totals = await raw.hmget('test:busy:windows', 'mr', 'mt');
    expect(totals).toEqual(['3000', '30000']);
  });
});
