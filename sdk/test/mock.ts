import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type MockProvider,
  type MockProviderStats,
  type StartMockProviderOptions,
  startMockProvider,
} from '@headroom/mock-provider';
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { HeadroomOptions } from '../src/index.js';
import { createTestTelemetry, type TestTelemetry } from '../src/testing/index.js';

export { countTokens, type MockProvider } from '@headroom/mock-provider';

/**
 * Everything a test opens, closed in reverse order by `close()` (call it in `afterEach`), so no
 * server or telemetry pipeline outlives its test even when an assertion fails half-way.
 */
export function resources() {
  const closers: Array<() => Promise<unknown> | unknown> = [];
  return {
    /** The mock provider on a free loopback port. */
    async mock(options: StartMockProviderOptions = {}): Promise<MockProvider> {
      const mock = await startMockProvider({ port: 0, ...options });
      closers.push(() => mock.close());
      return mock;
    },
    /** Headroom wired to in-memory exporters. */
    telemetry(options: HeadroomOptions = {}): TestTelemetry {
      const telemetry = createTestTelemetry(options);
      closers.push(() => telemetry.shutdown());
      return telemetry;
    },
    /** Anything else to undo after the test. */
    add(closer: () => Promise<unknown> | unknown): void {
      closers.push(closer);
    },
    async close(): Promise<void> {
      const errors: unknown[] = [];
      for (const closer of closers.splice(0).reverse()) {
        try {
          await closer();
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length > 0) throw errors[0];
    },
  };
}

/** The mock's ground truth, read over HTTP from `GET /stats`. */
export async function stats(mock: MockProvider): Promise<MockProviderStats> {
  const response = await fetch(`${mock.url}/stats`);
  return (await response.json()) as MockProviderStats;
}

/** A loopback port nothing listens on: bound once, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A real `fetch` that holds every request until `expected` of them have arrived: requests then
 * overlap by construction, not by timing. With `hold: true` they wait for `open()` instead, so a
 * test can look at the telemetry while they are all in flight.
 */
export function gate(expected: number, { hold = false }: { hold?: boolean } = {}) {
  let arrived = 0;
  let open!: () => void;
  let reached!: () => void;
  let fail!: (error: Error) => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const whenReached = new Promise<void>((resolve, reject) => {
    reached = resolve;
    fail = reject;
  });
  // Only a failure path: if fewer requests than expected ever arrive, say so instead of hanging.
  const guard = setTimeout(
    () => fail(new Error(`only ${arrived} of ${expected} requests arrived`)),
    10_000,
  );
  guard.unref();
  whenReached.catch(() => {});
  const gatedFetch = async (input: string | URL | Request, init?: RequestInit) => {
    arrived++;
    if (arrived === expected) {
      clearTimeout(guard);
      reached();
      if (!hold) open();
    }
    await Promise.race([opened, whenReached]);
    return fetch(input, init);
  };
  return {
    fetch: gatedFetch,
    /** Resolves once `expected` requests are waiting. */
    reached: whenReached,
    /** Lets held requests go (with `hold: true`). */
    open: () => open(),
    get arrived() {
      return arrived;
    },
  };
}

/** The one finished span with this name; fails loudly when there are none or several. */
export function onlySpan(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) {
    throw new Error(
      `expected one span named ${JSON.stringify(name)}, found ${found.length} among ${JSON.stringify(spans.map((span) => span.name))}`,
    );
  }
  return found[0]!;
}

export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

export function childrenOf(spans: ReadableSpan[], parent: ReadableSpan): ReadableSpan[] {
  const id = parent.spanContext().spanId;
  return spans
    .filter((span) => parentOf(span) === id)
    .sort((a, b) => compareTime(a.startTime, b.startTime));
}

function compareTime(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Attributes of a model call series for a client of the mock. */
export function callAttributes(
  mock: MockProvider,
  extra: Attributes & { 'headroom.key': string },
  provider = 'openai',
  model = 'gpt-4o-mini',
): Attributes {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': provider,
    'gen_ai.request.model': model,
    'server.address': mock.host,
    ...extra,
  };
}
