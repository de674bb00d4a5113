import { startMockProvider } from '@headroom/mock-provider';
import { init } from '@headroom/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from '../src/start-collector.js';
import { json, resources } from './helpers.js';

const open = resources();
afterEach(() => open.close());

describe('the guard beside the key', () => {
  it('a guarded openai client’s figures reach /api/snapshot and /metrics exactly, over OTLP from the real SDK', async () => {
    const running = await startCollector({ port: 0 });
    open.add(() => running.close());
    const mock = await startMockProvider({ port: 0, latency: { fixedMs: 50 } });
    open.add(() => mock.close());
    const headroom = init({
      serviceName: 'guarded',
      collectorUrl: running.url,
      exportIntervalMillis: 60_000,
      registerGlobals: false,
    });
    const client = headroom.instrument(
      new OpenAI({ apiKey: 'sk-guarded', baseURL: `${mock.url}/v1` }),
      { key: 'prod', guard: { concurrency: 1, maxQueue: 2 } },
    );
    // One goes, two wait their turn, the fourth finds the queue full.
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    await headroom.shutdown();
    const snapshot = await json(fetch(`${running.url}/api/snapshot`));
    const key = snapshot.keys.find((candidate: { key: string }) => candidate.key === 'prod');
    expect(key.guard).toMatchObject({
      waiting: 0,
      admittedPerMinute: 3,
      delayedPerMinute: 2,
      rejectedPerMinute: 1,
    });
    // The two that waited waited about one and two answers' time; the first none.
    expect(key.guard.averageWaitSeconds).toBeGreaterThan(0);
    expect(key.requestsPerMinute).toBe(3);
    const text = await (await fetch(`${running.url}/metrics`)).text();
    const labels = 'provider="openai",model="gpt-4o-mini",key="prod"';
    expect(text).toContain(`headroom_guard_rejected_per_minute{${labels}} 1\n`);
    expect(text).toContain(`headroom_guard_admitted_per_minute{${labels}} 3\n`);
  });
});
