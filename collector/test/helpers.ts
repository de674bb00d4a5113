import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeadroomOptions } from '@headroom/sdk';
import { createTestTelemetry, type TestTelemetry } from '@headroom/sdk/testing';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';

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
