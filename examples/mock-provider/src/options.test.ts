import { describe, expect, it } from 'vitest';
import { createMockProvider } from './create-mock-provider.js';
import { MockProviderState } from './mock-provider-state.js';
import { resolveOptions } from './resolve-options.js';
import { startMockProvider } from './start-mock-provider.js';

describe('options', () => {
  it('rejects bad values with one line naming the option', async () => {
    const cases: Array<[Parameters<typeof createMockProvider>[0], string]> = [
      [
        { keys: { 'sk-a': { rpm: -3 } } },
        'Expected `keys.sk-a.rpm` to be a positive integer, got -3',
      ],
      [
        { defaultLimits: { tpm: 1.5 } },
        'Expected `defaultLimits.tpm` to be a positive integer, got 1.5',
      ],
      [
        { defaultLimits: { concurrency: '2' as unknown as number } },
        'Expected `defaultLimits.concurrency` to be a positive integer, got "2"',
      ],
      [
        { keys: { 'sk-a': { rmp: 3 } as object } },
        'Unknown option `keys.sk-a.rmp`; expected rpm, tpm, itpm, otpm, concurrency, organization, project or headers',
      ],
      [
        { organizations: { 'org-a': { rpm: 0 } } },
        'Expected `organizations.org-a.rpm` to be a positive integer, got 0',
      ],
      [
        { keys: { 'sk-a': { organization: 'org-x' } } },
        'Expected `keys.sk-a.organization` to name one of `organizations` (none), got "org-x"',
      ],
      [
        { organizations: { 'org-a': {} }, keys: { 'sk-a': { organization: 'org-a', rpm: 5 } } },
        'Expected `keys.sk-a` to have no limits of its own beside `organization`; set rpm on `organizations.org-a`',
      ],
      [
        { keys: { 'sk-a': { project: 'proj-a' } } },
        'Expected `keys.sk-a.project` to come with `keys.sk-a.organization`',
      ],
      [
        {
          organizations: { 'org-a': {} },
          keys: { 'sk-a': { organization: 'org-a', project: 'p\n' } },
        },
        'Expected `keys.sk-a.project` to be a name of letters, digits, -, _ or ., got "p\\n"',
      ],
      [
        { organizations: { 'org a': {} } },
        'Expected `organizations.org a` to be a name of letters, digits, -, _ or ., got "org a"',
      ],
      [
        { latency: { fixedMs: -1 } },
        'Expected `latency.fixedMs` to be a non-negative number, got -1',
      ],
      [{ seed: 0.5 }, 'Expected `seed` to be an integer, got 0.5'],
      [
        { now: 5 as unknown as () => number },
        'Expected `now` to be a function returning milliseconds, got 5',
      ],
    ];
    for (const [options, message] of cases) {
      expect(() => createMockProvider(options)).toThrow(message);
    }
    await expect(startMockProvider({ port: 70_000 })).rejects.toThrow(
      'Expected `port` to be an integer from 0 to 65535, got 70000',
    );
  });

  it('treats null limits as unlimited', () => {
    expect(resolveOptions({ defaultLimits: { rpm: null, tpm: 10 } }).defaultLimits).toEqual({
      tpm: 10,
    });
  });

  it('binds 127.0.0.1 on a free port by default', async () => {
    const mock = await startMockProvider();
    try {
      expect(mock.host).toBe('127.0.0.1');
      expect(mock.port).toBeGreaterThan(0);
      expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
      expect((await fetch(`${mock.url}/health`)).status).toBe(200);
    } finally {
      await mock.close();
      await mock.close(); // twice is harmless
    }
  });
});

describe('latency', () => {
  it('draws jitter in [0, jitterMs) from the seed, again after reset', () => {
    const state = new MockProviderState(
      resolveOptions({ latency: { fixedMs: 100, jitterMs: 50 }, seed: 42 }),
    );
    const first = Array.from({ length: 20 }, () => state.latencyMs());
    expect(
      first.every((latency) => latency >= 100 && latency < 150 && Number.isInteger(latency)),
    ).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(1);
    state.reset();
    expect(Array.from({ length: 20 }, () => state.latencyMs())).toEqual(first);
    const other = new MockProviderState(
      resolveOptions({ latency: { fixedMs: 100, jitterMs: 50 }, seed: 43 }),
    );
    expect(Array.from({ length: 20 }, () => other.latencyMs())).not.toEqual(first);
  });

  it('delays plain replies and spreads stream frames over the latency', async () => {
    const mock = await startMockProvider({ latency: { fixedMs: 120 } });
    try {
      const post = (stream: boolean) =>
        fetch(`${mock.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk-a' },
          body: JSON.stringify({
            model: 'm',
            stream,
            messages: [{ role: 'user', content: 'Hello there' }],
          }),
        });
      let started = performance.now();
      await (await post(false)).json();
      // Timers may fire a millisecond early; lower bounds only, never upper ones.
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);

      started = performance.now();
      const response = await post(true);
      const headersAfter = performance.now() - started;
      const reader = response.body!.getReader();
      let reads = 0;
      while (!(await reader.read()).done) reads += 1;
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
      expect(headersAfter).toBeLessThan(110); // headers come at once, the body over the latency
      expect(reads).toBeGreaterThan(1);
    } finally {
      await mock.close();
    }
  });
});
