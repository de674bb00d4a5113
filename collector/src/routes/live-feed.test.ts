import { createGunzip } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../app.js';
import { Collector } from '../collector.js';
import { fakeClock, OPENAI_KEY, point, replicaExport, sum } from '../view/test-helpers.js';
import { acceptsGzip } from './live.js';
import { GZIP_HEADER, LiveFeed } from './live-feed.js';

const decoder = new TextDecoder();
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** Sends `amount` requests on the `prod` key now. */
function requests(collector: Collector, clock: ReturnType<typeof fakeClock>, total: number) {
  collector.view.ingestMetrics(
    replicaExport('a', [
      sum('headroom.requests', [point(OPENAI_KEY, total, clock.now())], 'cumulative'),
    ]),
  );
}

/** An open `/api/live` stream and a reader of its frames, whole (gunzipped as they come). */
async function viewer(app: ReturnType<typeof createApp>, { gzip = false } = {}) {
  const abort = new AbortController();
  const response = await app.request('http://localhost/api/live', {
    signal: abort.signal,
    headers: gzip ? { 'accept-encoding': 'gzip, deflate, br' } : {},
  });
  const reader = response.body!.getReader();
  let buffer = '';
  const raw: Uint8Array[] = [];
  const gunzip = createGunzip();
  gunzip.on('data', (chunk: Buffer) => {
    buffer += decoder.decode(chunk);
  });
  closers.push(() => {
    abort.abort();
    void reader.cancel().catch(() => {});
    gunzip.destroy();
  });
  const read = async () => {
    const { value } = await reader.read();
    if (!gzip) {
      buffer += decoder.decode(value);
      return;
    }
    raw.push(value!);
    await new Promise<void>((resolve) => gunzip.write(value, () => resolve()));
    // Let the inflated bytes of this write reach `buffer` before looking again.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    response,
    raw,
    async frame(): Promise<string> {
      while (!buffer.includes('\n\n')) await read();
      const end = buffer.indexOf('\n\n') + 2;
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end);
      return frame;
    },
  };
}

describe('live feed: one frame for all viewers', () => {
  it('builds each frame once and sends 20 viewers the same bytes', async () => {
    const clock = fakeClock();
    const collector = new Collector({ now: clock.now });
    const app = createApp(collector, { live: { intervalMs: 5, heartbeatMs: 60_000 } });
    const build = vi.spyOn(collector, 'snapshot');
    const viewers = await Promise.all(Array.from({ length: 20 }, () => viewer(app)));
    const first = await Promise.all(viewers.map((each) => each.frame()));
    // The catch-up of viewers that joined in the same second with the same start is one build.
    expect(new Set(first).size).toBe(1);
    expect(build).toHaveBeenCalledTimes(1);
    requests(collector, clock, 7);
    const second = await Promise.all(viewers.map((each) => each.frame()));
    expect(new Set(second).size).toBe(1);
    expect(build).toHaveBeenCalledTimes(2);
    const data = JSON.parse(/\ndata: (.*)\n/.exec(second[0]!)![1]!);
    expect(data.snapshot.keys[0].requestsPerMinute).toBe(7);
    expect(second[0]).toMatch(new RegExp(`\\nid: ${collector.view.second()}\\n\\n$`));
  });

  it('gzip: the same frames as shared deflate segments after one gzip header', async () => {
    const clock = fakeClock();
    const collector = new Collector({ now: clock.now });
    const app = createApp(collector, { live: { intervalMs: 5, heartbeatMs: 60_000 } });
    const plain = await viewer(app);
    const zipped = await Promise.all([viewer(app, { gzip: true }), viewer(app, { gzip: true })]);
    expect(plain.response.headers.get('content-encoding')).toBeNull();
    for (const each of zipped) {
      expect(each.response.headers.get('content-encoding')).toBe('gzip');
      expect(each.response.headers.get('cache-control')).toBe('no-cache, no-transform');
    }
    const first = [await plain.frame(), ...(await Promise.all(zipped.map((each) => each.frame())))];
    requests(collector, clock, 3);
    const second = [
      await plain.frame(),
      ...(await Promise.all(zipped.map((each) => each.frame()))),
    ];
    expect(new Set(first).size).toBe(1);
    expect(new Set(second).size).toBe(1);
    expect(
      JSON.parse(/\ndata: (.*)\n/.exec(second[0]!)![1]!).snapshot.keys[0].requestsPerMinute,
    ).toBe(3);
    const bytes = (each: { raw: Uint8Array[] }) => Buffer.concat(each.raw);
    expect([...bytes(zipped[0]!).subarray(0, GZIP_HEADER.length)]).toEqual([...GZIP_HEADER]);
    expect(bytes(zipped[0]!).equals(bytes(zipped[1]!))).toBe(true);
  });

  it('reads Accept-Encoding as RFC 9110 has it', () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0, br')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('gzipped')).toBe(false);
  });

  it('a viewer that fell behind gets the seconds it missed in a catch-up frame', async () => {
    const clock = fakeClock();
    const collector = new Collector({ now: clock.now });
    const feed = new LiveFeed(collector, { intervalMs: 5, heartbeatMs: 60_000 });
    feed.join();
    closers.push(() => feed.leave());
    const start = collector.view.second();
    const joined = feed.catchUp(start - 2);
    expect([joined.fromSecond, joined.second, joined.sequence]).toEqual([start - 2, start, 0]);
    clock.advance(1000);
    const one = await feed.next(0);
    expect([one.fromSecond, one.second]).toEqual([start, start + 1]);
    clock.advance(1000);
    const two = await feed.next(one.sequence);
    expect([two.fromSecond, two.second]).toEqual([start + 1, start + 2]);
    // Sent `joined`, never `one`: `two` does not reach back to `start`, a catch-up does.
    expect(two.fromSecond).toBeGreaterThan(joined.second);
    const missed = feed.catchUp(joined.second, { behind: true });
    const history = JSON.parse(/\ndata: (.*)\n/.exec(decoder.decode(missed.bytes))![1]!).history;
    // At least the last 30 s, so that it serves whoever falls behind next in this second.
    expect(history.seconds).toEqual(
      Array.from({ length: 31 }, (_, index) => start + 2 - 30 + index),
    );
    expect(missed.sequence).toBe(two.sequence);
    expect(feed.catchUp(start + 1, { behind: true })).toBe(missed);
    // A viewer that connects gets exactly the seconds it asked for.
    const resumed = feed.catchUp(start + 1);
    expect([resumed.fromSecond, resumed.second]).toEqual([start + 1, start + 2]);
  });

  it('stops building frames when the last viewer leaves', async () => {
    vi.useFakeTimers();
    closers.push(() => vi.useRealTimers());
    const clock = fakeClock();
    const collector = new Collector({ now: clock.now });
    const feed = new LiveFeed(collector, { intervalMs: 5, heartbeatMs: 1 });
    const build = vi.spyOn(collector, 'snapshot');
    feed.join();
    vi.advanceTimersByTime(20);
    const built = build.mock.calls.length;
    expect(built).toBeGreaterThan(0);
    expect((await feed.next(0)).sequence).toBe(built);
    feed.leave();
    vi.advanceTimersByTime(1000);
    expect(build).toHaveBeenCalledTimes(built);
  });

  it('refuses viewers past the cap with a 503', async () => {
    const collector = new Collector();
    const app = createApp(collector, { live: { intervalMs: 5, maxViewers: 2 } });
    await viewer(app);
    await viewer(app);
    const third = await app.request('http://localhost/api/live');
    expect(third.status).toBe(503);
    expect(await third.json()).toEqual({ error: '2 live viewers already: try again later' });
  });
});
