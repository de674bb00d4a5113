import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { decodeMetrics } from './decode-metrics.js';
import { decodeTraces } from './decode-traces.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { sdkMetrics, sdkSpans } from './test-helpers.js';

/** A small seeded generator, so that a failure replays. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** Flips, overwrites, cuts or duplicates a few bytes. */
function mutate(body: Uint8Array, next: () => number): Uint8Array {
  const bytes = Uint8Array.from(body);
  const at = () => Math.floor(next() * bytes.length);
  switch (Math.floor(next() * 4)) {
    case 0:
      for (let count = 0; count < 3; count++) bytes[at()]! ^= 1 << Math.floor(next() * 8);
      return bytes;
    case 1:
      bytes[at()] = Math.floor(next() * 256);
      return bytes;
    case 2:
      return bytes.subarray(0, at());
    default: {
      const start = at();
      return Buffer.concat([bytes.subarray(0, start), bytes.subarray(Math.max(start - 10, 0))]);
    }
  }
}

/** Decodes each mutant: it either decodes or fails with a one-line OtlpDecodeError. */
function survive(body: Uint8Array, decode: (body: Uint8Array) => unknown, seed: number): number {
  const next = random(seed);
  let rejected = 0;
  for (let round = 0; round < 3000; round++) {
    try {
      decode(mutate(body, next));
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) throw error;
      expect(error.message).not.toMatch(/\n/);
      rejected++;
    }
  }
  return rejected;
}

describe('mutated bodies', () => {
  it('never crash or hang the protobuf decoders', async () => {
    const metrics = ProtobufMetricsSerializer.serializeRequest(
      await sdkMetrics(AggregationTemporality.DELTA),
    )!;
    const traces = ProtobufTraceSerializer.serializeRequest(await sdkSpans())!;
    expect(
      survive(metrics, (body) => decodeMetrics(body, 'application/x-protobuf'), 1),
    ).toBeGreaterThan(100);
    expect(
      survive(traces, (body) => decodeTraces(body, 'application/x-protobuf'), 2),
    ).toBeGreaterThan(100);
  });

  it('never crash or hang the JSON decoders', async () => {
    const metrics = JsonMetricsSerializer.serializeRequest(
      await sdkMetrics(AggregationTemporality.DELTA),
    )!;
    const traces = JsonTraceSerializer.serializeRequest(await sdkSpans())!;
    expect(survive(metrics, (body) => decodeMetrics(body, 'application/json'), 3)).toBeGreaterThan(
      100,
    );
    expect(survive(traces, (body) => decodeTraces(body, 'application/json'), 4)).toBeGreaterThan(
      100,
    );
  });
});
