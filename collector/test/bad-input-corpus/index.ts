import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { sdkMetrics, sdkSpans } from '../../src/otlp/test-helpers.js';
import type { BadRequest } from './case.js';
import { contentTypes, gzipCases, tooLarge } from './encoding.js';
import { pathCases, rawCases, siteCases } from './http.js';
import { METRICS_SCHEMA, TRACES_SCHEMA, wrongTypes } from './json-wrong-types.js';
import { jsonDepth, jsonHuge, jsonNumbers, jsonSyntax } from './otlp-json.js';
import { badValues, malformed, truncations, wrongWireTypes } from './otlp-protobuf.js';
import { queryCases, restCases, VALID } from './rest.js';
import { apiUtf8, jsonUtf8, protobufUtf8 } from './utf8.js';

export type { BadRequest } from './case.js';
export { VALID } from './rest.js';

/** Real exports of the OpenTelemetry SDK, as its own serializers write them. */
export async function realExports() {
  const metrics = await sdkMetrics(AggregationTemporality.CUMULATIVE);
  const spans = await sdkSpans();
  return {
    metricsJson: JsonMetricsSerializer.serializeRequest(metrics)!,
    metricsProtobuf: ProtobufMetricsSerializer.serializeRequest(metrics)!,
    tracesJson: JsonTraceSerializer.serializeRequest(spans)!,
    tracesProtobuf: ProtobufTraceSerializer.serializeRequest(spans)!,
  };
}

/** The corpus by kind: every request must get its exact 4xx and change nothing. */
export async function badInputCorpus(): Promise<Record<string, BadRequest[]>> {
  const real = await realExports();
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();
  return {
    'OTLP/JSON syntax': jsonSyntax(text(real.metricsJson), text(real.tracesJson)),
    'OTLP/JSON wrong types': [
      ...wrongTypes('/v1/metrics', JSON.parse(text(real.metricsJson)), METRICS_SCHEMA),
      ...wrongTypes('/v1/traces', JSON.parse(text(real.tracesJson)), TRACES_SCHEMA),
    ],
    'OTLP/JSON numbers, ids and times': jsonNumbers(),
    'OTLP/JSON nesting': jsonDepth(),
    'OTLP/JSON sizes': jsonHuge(),
    'OTLP/protobuf wrong wire types': wrongWireTypes(),
    'OTLP/protobuf truncations': truncations(real.metricsProtobuf, real.tracesProtobuf),
    'OTLP/protobuf malformed': malformed(),
    'OTLP/protobuf values': badValues(),
    'invalid UTF-8': [...jsonUtf8(), ...protobufUtf8(), ...apiUtf8()],
    gzip: gzipCases(real.metricsJson, real.tracesProtobuf),
    'too large': tooLarge(),
    'content types': contentTypes(real.metricsJson, real.tracesProtobuf, VALID),
    'REST bodies': restCases(),
    'query parameters': queryCases(),
    'paths and methods': pathCases(real.metricsJson),
    'hosts and origins': siteCases(real.metricsJson),
    "Node's HTTP parser": rawCases(),
  };
}
