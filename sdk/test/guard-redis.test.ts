import { spawnSync } from 'node:child_process';
import Anthropic from '@anthropic-ai/sdk';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fleet, startRedis, stop } from './fleet.js';
import { resources, stats } from './mock.js';

const redisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!redisServer) {
  console.warn(
    'redis-server not found: `apt-get install redis-server` to run the fleet-wide guard tests (.ci/run installs it)',
  );
}

const RPM = 1200;
const REPLICAS = 4;
const open = resources();
afterEach(() => open.close());

describe.skipIf(!redisServer)('guard with Redis: one budget for the fleet', () => {
  it('4 processes on one key at 1200 RPM: the provider refuses nothing, and every call succeeds', async () => {
    const redis = await startRedis(open);
    const mock = await open.mock({ keys: { 'sk-fleet': { rpm: RPM } }, latency: { fixedMs: 50 } });
    const replicas = await fleet(open, REPLICAS, {
      MOCK_URL: mock.url,
      REDIS_URL: redis.url,
      CALLS: '25',
      RPM: String(RPM),
    });
    const results = await Promise.all(replicas.map((replica) => replica.done));
    expect(results.map((result) => result.failed)).toEqual([0, 0, 0, 0]);
    const truth = (await stats(mock)).keys['sk-fleet']!;
    // Each alone would send its 25 at once, 100 in the first second against 20 allowed. The
    // fleet stays under the provider's per-second share, but on the provider's clock: a 429
    // from the jitter between admission and arrival is allowed in a hundred (the bar is 0.5 %).
    expect(truth.admitted).toBe(100);
    expect(truth.rateLimited).toBeLessThanOrEqual(1);
  });

  it('Redis stopped mid-run: each replica says so once, keeps to its share, and every call still succeeds', async () => {
    const redis = await startRedis(open);
    const mock = await open.mock({ keys: { 'sk-fleet': { rpm: RPM } }, latency: { fixedMs: 50 } });
    const replicas = await fleet(open, REPLICAS, {
      MOCK_URL: mock.url,
      REDIS_URL: redis.url,
      CALLS: '40',
      RPM: String(RPM),
    });
    // About 2 s in, with the fleet at its 20 a second: Redis goes.
    const deadline = Date.now() + 20_000;
    while (((await stats(mock)).keys['sk-fleet']?.requests ?? 0) < 40) {
      if (Date.now() > deadline) throw new Error('the fleet never got going');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stop(redis.child);
    const results = await Promise.all(replicas.map((replica) => replica.done));
    expect(results.map((result) => result.failed)).toEqual([0, 0, 0, 0]);
    const truth = (await stats(mock)).keys['sk-fleet']!;
    // The hand-over waits out the second the fleet's budget had used; then the shares hold.
    expect(truth.admitted).toBe(160);
    expect(truth.rateLimited).toBeLessThanOrEqual(1);
    for (const replica of replicas) {
      const said = replica
        .stderr()
        .split('\n')
        .filter((line) => line.includes('is out of reach'));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(
        /^\[headroom\] guard: Redis at redis:\/\/127\.0\.0\.1:\d+ is out of reach.*: each of 4 replicas keeps to 1\/4 of the ceilings until it is back$/,
      );
    }
  });

  it('a budget whose script keeps failing (the connection up) counts as down, says so once, and calls go on', async () => {
    const redis = await startRedis(open);
    // The windows key holds a string: every admission script fails with WRONGTYPE.
    const raw = new Redis(redis.url);
    open.add(() => raw.quit());
    await raw.set('headroom:guard:broken:openai:gpt-4o-mini:windows', 'not a hash');
    const warnings: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((line: string) => {
      warnings.push(line);
    });
    open.add(() => warn.mockRestore());
    const mock = await open.mock({ keys: { 'sk-fleet': { rpm: RPM } } });
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: 'sk-fleet', baseURL: `${mock.url}/v1` }),
      { key: 'broken', guard: { rpm: RPM, redis: redis.url } },
    );
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      ),
    );
    expect(answers).toHaveLength(5);
    const said = warnings.filter((line) => line.includes('is out of reach'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('WRONGTYPE');
  });

  it('Anthropic with input and output limited apart: the fleet holds them apart, and its minute equals the provider’s count', async () => {
    const redis = await startRedis(open);
    // Long prompts (some 400 input tokens), short answers: output allows 100 tokens a second,
    // input 10,000. Held as one TPM the size of the tighter, each call would fill a second.
    const key = 'sk-ant-fleet';
    const mock = await open.mock({ keys: { [key]: { itpm: 600_000, otpm: 6_000 } } });
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new Anthropic({ apiKey: key, baseURL: mock.url }),
      {
        key: 'fleet-anthropic',
        guard: { redis: redis.url },
      },
    );
    const prompt = [{ role: 'user' as const, content: 'Summarize this. '.repeat(100) }];
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 15, messages: prompt }),
      ),
    );
    expect(answers).toHaveLength(12);
    const truth = (await stats(mock)).keys[key]!;
    expect(truth).toMatchObject({ requests: 12, rateLimited: 0 });
    const raw = new Redis(redis.url);
    open.add(() => raw.quit());
    // The probes went on this replica's own budget; every other call was charged to the fleet's
    // budget, input and output apart, and corrected to the usage the provider counted.
    const [lane] = telemetry.headroom.telemetry.guard.lanes.values();
    expect(lane!.budget.effective()).toMatchObject({ itpm: 600_000, otpm: 6_000 });
    const windows = 'headroom:guard:fleet-anthropic:anthropic:claude-sonnet-4-5:windows';
    const [requests, input, output, all] = (await raw.hmget(windows, 'mr', 'mi', 'mo', 'mt')).map(
      Number,
    );
    const perCall = { input: truth.tokens.input / 12, output: truth.tokens.output / 12 };
    expect(requests).toBeGreaterThanOrEqual(10);
    expect(input).toBe(requests! * perCall.input);
    expect(output).toBe(requests! * perCall.output);
    expect(all).toBe(input! + output!);
  });
});
