import { afterEach, describe, expect, it } from 'vitest';
import { resources } from './mock.js';

const open = resources();
afterEach(() => open.close());

/** `count` calls held in flight together until `release` resolves. */
function callsInFlight(
  telemetry: ReturnType<typeof open.telemetry>,
  count: number,
  release: Promise<void>,
) {
  return Promise.all(
    Array.from({ length: count }, () =>
      telemetry.headroom.trackCall(
        { provider: 'openai', model: 'gpt-4o-mini', key: 'shared' },
        () => release,
      ),
    ),
  );
}

describe('headroom.key.calls.active.max', () => {
  it('is the true peak per key across nodes: calls that never overlapped do not add up', async () => {
    const telemetry = open.telemetry();
    const plan = telemetry.headroom.node(
      { graph: 'agent', node: 'plan' },
      (release: Promise<void>) => callsInFlight(telemetry, 3, release),
    );
    const write = telemetry.headroom.node(
      { graph: 'agent', node: 'write' },
      (release: Promise<void>) => callsInFlight(telemetry, 2, release),
    );
    await plan(Promise.resolve());
    await write(Promise.resolve());
    await telemetry.collect();
    const key = {
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'headroom.key': 'shared',
    };
    expect(telemetry.max('headroom.key.calls.active.max', key)).toBe(3);
    expect(
      telemetry.points('headroom.key.calls.active.max').map((point) => point.attributes),
    ).toEqual([key]);
    expect(telemetry.max('headroom.calls.active.max', { 'headroom.graph.node': 'plan' })).toBe(3);
    expect(telemetry.max('headroom.calls.active.max', { 'headroom.graph.node': 'write' })).toBe(2);
  });

  it('adds calls of different nodes that were in flight together', async () => {
    const telemetry = open.telemetry();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const plan = telemetry.headroom.node({ graph: 'agent', node: 'plan' }, () =>
      callsInFlight(telemetry, 3, released),
    );
    const write = telemetry.headroom.node({ graph: 'agent', node: 'write' }, () =>
      callsInFlight(telemetry, 2, released),
    );
    const both = Promise.all([plan(), write()]);
    release();
    await both;
    await telemetry.collect();
    expect(telemetry.max('headroom.key.calls.active.max', { 'headroom.key': 'shared' })).toBe(5);
  });
});
