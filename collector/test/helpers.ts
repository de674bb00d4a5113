import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeadroomOptions } from '@headroom/sdk';
import { createTestTelemetry, type TestTelemetry } from '@headroom/sdk/testing';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { Collector } from '../src/collector.js';
import { defaultRules } from '../src/config/index.js';
import { openStore, type Store } from '../src/storage/index.js';
import { OPENAI_KEY, point, replicaExport, sum } from '../src/view/test-helpers.js';

/** Everything a test opens, closed in reverse order in `afterEach`. */
export function resources() {
  const closers: Array<() => unknown> = [];
  return {
    add(closer: () => unknown) {
      closers.push(closer);
    },
    directory(): string {
      const directory = mkdtempSync(join(tmpdir(), 'headroom-collector-'));
      closers.push(() => rmSync(directory, { recursive: true, force: true }));
      return directory;
    },
    telemetry(options: HeadroomOptions = {}): TestTelemetry {
      const telemetry = createTestTelemetry(options);
      closers.push(() => telemetry.shutdown());
      return telemetry;
    },
    async close() {
      for (const closer of closers.splice(0).reverse()) await closer();
    },
  };
}

/** What the SDK exported into its in-memory exporter, as the OTLP body a replica would send. */
export function otlpBody(
  telemetry: TestTelemetry,
  encoding: 'json' | 'protobuf',
): { body: Uint8Array; contentType: string } {
  const exports = telemetry.metricExporter.getMetrics();
  const resourceMetrics = exports.at(-1)!;
  return encoding === 'json'
    ? {
        body: JsonMetricsSerializer.serializeRequest(resourceMetrics)!,
        contentType: 'application/json',
      }
    : {
        body: ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!,
        contentType: 'application/x-protobuf',
      };
}

/** A response's JSON body, typed loosely: the tests assert on its shape. */
export async function json(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}

/**
 * Feeds `collector` one second at a time, as the mock provider enforces a key's `rpm`: at most
 * rpm/60 in any second and rpm in any 60 s; what is offered beyond is refused with a 429. Each
 * second is ingested as the SDK would export it, then evaluated, then `each` runs, then the clock
 * moves on. Returns the ms of the first refused request.
 */
export function rampAgainstCeiling(
  collector: Collector,
  clock: { now: () => number; advance: (ms: number) => void },
  {
    rpm,
    seconds,
    offered,
    each = () => {},
  }: {
    rpm: number;
    seconds: number;
    offered: (second: number) => number;
    each?: (second: number, transitions: ReturnType<Collector['evaluate']>) => void;
  },
): number | undefined {
  const ok = { ...OPENAI_KEY, 'headroom.outcome': 'ok' };
  const limited = { ...OPENAI_KEY, 'headroom.outcome': 'rate_limited' };
  const admitted: number[] = [];
  let first429: number | undefined;
  for (let second = 0; second < seconds; second++) {
    const wanted = offered(second);
    const lastMinute = admitted.slice(-59).reduce((total, value) => total + value, 0);
    const accepted = Math.min(wanted, rpm / 60, Math.max(0, rpm - lastMinute));
    admitted.push(accepted);
    if (accepted < wanted) first429 ??= clock.now();
    collector.view.ingestMetrics(
      replicaExport('replica', [
        sum(
          'headroom.requests',
          [point(ok, accepted, clock.now()), point(limited, wanted - accepted, clock.now())],
          'delta',
        ),
        sum('headroom.calls', [point(ok, wanted, clock.now())], 'delta'),
      ]),
    );
    each(second, collector.evaluate());
    clock.advance(1000);
  }
  return first429;
}

/** A store in `directory` with the default rules and an rpm ceiling on prod/openai/gpt-4o-mini. */
export function storeWithCeiling(directory: string, now: number, rpm: number): Store {
  const store = openStore(directory);
  for (const rule of defaultRules(now)) store.putRule(rule);
  store.putCeiling({
    id: 'c',
    key: 'prod',
    provider: 'openai',
    model: 'gpt-4o-mini',
    rpm,
    updatedAt: now,
  });
  return store;
}
