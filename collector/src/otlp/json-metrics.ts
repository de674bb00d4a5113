import { checkLength } from './checks.js';
import type { DecodedMetricsRequest } from './decoded-request.js';
import { parseJsonBody } from './json-body.js';
import { histogramPoints, numberPoints } from './json-points.js';
import { jsonResource, jsonScope } from './json-resource.js';
import {
  type JsonObject,
  jsonArray,
  jsonBoolean,
  jsonEnum,
  jsonObject,
  jsonString,
  member,
} from './json-values.js';
import { MAX_STRING_LENGTH } from './limits.js';
import { Location } from './location.js';
import { SkippedPoints } from './skipped-points.js';
import type { Metric, ResourceMetrics, Temporality } from './types.js';

const TEMPORALITY_NAMES = [
  'AGGREGATION_TEMPORALITY_UNSPECIFIED',
  'AGGREGATION_TEMPORALITY_DELTA',
  'AGGREGATION_TEMPORALITY_CUMULATIVE',
];
const TEMPORALITIES: Temporality[] = ['unspecified', 'delta', 'cumulative'];

/** Decodes an ExportMetricsServiceRequest in OTLP/JSON. */
export function decodeMetricsJson(body: Uint8Array): DecodedMetricsRequest {
  const root = parseJsonBody(body);
  const location = new Location();
  const skipped = new SkippedPoints();
  const list = member(root, 'resourceMetrics', 'resource_metrics');
  const resourceMetrics: ResourceMetrics[] = [];
  for (const item of jsonArray(list, 'resourceMetrics', location)) {
    resourceMetrics.push(resourceMetricsOf(item, location, skipped));
  }
  const rejected = skipped.rejected();
  return rejected === undefined ? { resourceMetrics } : { resourceMetrics, rejected };
}

function resourceMetricsOf(
  value: unknown,
  location: Location,
  skipped: SkippedPoints,
): ResourceMetrics {
  location.enter('request');
  const object: JsonObject = jsonObject(value, 'resourceMetrics', location) ?? {};
  const resource = jsonResource(object.resource, location);
  const scopes: ResourceMetrics['scopes'] = [];
  const list = member(object, 'scopeMetrics', 'scope_metrics');
  for (const item of jsonArray(list, 'scopeMetrics', location)) {
    location.enter('resource');
    const scopeMetrics: JsonObject = jsonObject(item, 'scopeMetrics', location) ?? {};
    const scope = jsonScope(scopeMetrics.scope, location);
    const metrics: Metric[] = [];
    for (const metric of jsonArray(scopeMetrics.metrics, 'metrics', location)) {
      const decoded = metricOf(metric, location, skipped);
      if (decoded !== undefined) metrics.push(decoded);
    }
    scopes.push({ scope, metrics });
  }
  return { resource, scopes };
}

/** A metric, or undefined for the types we skip (counted in `skipped`) and empty ones. */
function metricOf(value: unknown, location: Location, skipped: SkippedPoints): Metric | undefined {
  location.enter('metric');
  const metric: JsonObject = jsonObject(value, 'metric', location) ?? {};
  const name = jsonString(metric.name, 'name', location);
  if (name === '') location.fail('name is missing');
  checkLength(name, 'name', location);
  location.name = name;
  const unit = jsonString(metric.unit, 'unit', location);
  checkLength(unit, 'unit', location);
  // A description is free text, not an identifier: cut it rather than refuse the export.
  const description = jsonString(metric.description, 'description', location).slice(
    0,
    MAX_STRING_LENGTH,
  );

  const gauge = jsonObject(metric.gauge, 'gauge', location);
  if (gauge !== undefined) {
    return { name, unit, description, kind: 'gauge', points: numberPoints(gauge, location) };
  }
  const sum = jsonObject(metric.sum, 'sum', location);
  if (sum !== undefined) {
    return {
      name,
      unit,
      description,
      kind: 'sum',
      temporality: temporalityOf(sum, location),
      monotonic: jsonBoolean(member(sum, 'isMonotonic', 'is_monotonic'), 'isMonotonic', location),
      points: numberPoints(sum, location),
    };
  }
  const histogram = jsonObject(metric.histogram, 'histogram', location);
  if (histogram !== undefined) {
    return {
      name,
      unit,
      description,
      kind: 'histogram',
      temporality: temporalityOf(histogram, location),
      points: histogramPoints(histogram, location),
    };
  }
  const exponential = member(metric, 'exponentialHistogram', 'exponential_histogram');
  skipped.exponentialHistogram += countPoints(exponential, 'exponentialHistogram', location);
  skipped.summary += countPoints(metric.summary, 'summary', location);
  return undefined;
}

function temporalityOf(data: JsonObject, location: Location): Temporality {
  const value = member(data, 'aggregationTemporality', 'aggregation_temporality');
  return TEMPORALITIES[jsonEnum(value, TEMPORALITY_NAMES, 'aggregationTemporality', location)]!;
}

/** Data points in an exponential histogram or summary, which are skipped unread. */
function countPoints(value: unknown, field: string, location: Location): number {
  const data = jsonObject(value, field, location);
  if (data === undefined) return 0;
  return jsonArray(member(data, 'dataPoints', 'data_points'), 'dataPoints', location).length;
}
