import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import { resetFaults } from '../src/internal/fault.js';
import { resources } from './mock.js';

const open = resources();
afterEach(() => open.close());

describe('Prometheus endpoint', () => {
  it('serves the contract metrics as Prometheus text on a port chosen by the OS', async () => {
    const mock = await open.mock({ defaultLimits: { rpm: 6000 } });
    const headroom = init({
      serviceName: 'prometheus-test',
      collectorUrl: false,
      prometheus: { port: 0 },
    });
    open.add(() => headroom.shutdown());
    const client = headroom.instrument(
      new OpenAI({ apiKey: 'sk-prometheus', baseURL: `${mock.url}/v1` }),
      { key: 'scraped' },
    );
    for (let index = 0; index < 3; index++) {
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
    }
    const url = await headroom.prometheusUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const text = await (await fetch(url!)).text();
    const line = (name: string) =>
      text
        .split('\n')
        .find((row) => row.startsWith(`${name}{`) && row.includes('headroom_key="scraped"'));
    expect(line('headroom_calls_total')).toMatch(/headroom_outcome="ok".* 3$/);
    expect(line('headroom_requests_total')).toMatch(/ 3$/);
    expect(line('headroom_calls_active')).toMatch(/ 0$/);
    expect(line('headroom_calls_active_max')).toMatch(/ 1$/);
    expect(line('gen_ai_client_operation_duration_count')).toMatch(/ 3$/);
    expect(text).toMatch(
      /headroom_ratelimit_limit\{[^}]*headroom_ratelimit_dimension="requests"[^}]*\} 6000/,
    );
    expect(text).not.toContain('sk-prometheus');
    expect((await fetch(url!.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('a port already taken is one logged fault, and the app goes on', async () => {
    resetFaults();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    open.add(() => new Promise((resolve) => taken.close(resolve)));
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    open.add(() => {
      console.warn = warn;
    });
    const headroom = init({
      serviceName: 'prometheus-test',
      collectorUrl: false,
      prometheus: { port: (taken.address() as AddressInfo).port },
    });
    open.add(() => headroom.shutdown());
    expect(await headroom.prometheusUrl()).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(/^\[headroom\] prometheus endpoint: .*EADDRINUSE/),
    ]);
  });
});
