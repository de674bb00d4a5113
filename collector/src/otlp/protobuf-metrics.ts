import { checkLength } from './checks.js';
import type { DecodedMetricsRequest } from './decoded-request.js';
import { MAX_STRING_LENGTH } from './limits.js';
import { Location } from './location.js';
import { readHistogramPoint, readNumberPoint } from './protobuf-points.js';
import { fields, ProtobufReader } from './protobuf-reader.js';
import { readResource, readScope } from './protobuf-resource.js';
import { SkippedPoints } from './skipped-points.js';
import type {
  Attributes,
  HistogramPoint,
  Metric,
  NumberPoint,
  ResourceMetrics,
  Scope,
  Temporality,
} from './types.js';

// Field numbers from opentelemetry/proto/metrics/v1/metrics.proto and common.proto. A case label
// is the whole tag: field number << 3 | wire type (0 varint, 1 fixed64, 2 length-delimited).
const REQUEST = fields(1);
const RESOURCE_METRICS = fields(1, 2);
const SCOPE_METRICS = fields(1, 2);
const METRIC = fields(1, 2, 3, 5, 7, 9, 10, 11);
const GAUGE = fields(1);
const SUM = fields(1, 2, 3);
const HISTOGRAM = fields(1, 2);

const TEMPORALITIES: Temporality[] = ['unspecified', 'delta', 'cumulative'];

/** Decodes an ExportMetricsServiceRequest. */
export function decodeMetricsProtobuf(body: Uint8Array): DecodedMetricsRequest {
  return new ProtobufMetricsDecoder(body).request();
}

class ProtobufMetricsDecoder {
  readonly #reader: ProtobufReader;
  readonly #location: Location = new Location();
  readonly #skipped = new SkippedPoints();

  constructor(body: Uint8Array) {
    this.#reader = new ProtobufReader(body);
  }

  request(): DecodedMetricsRequest {
    const reader = this.#reader;
    const end = reader.bytes.length;
    const resourceMetrics: ResourceMetrics[] = [];
    while (reader.position < end) {
      const tag = reader.varint();
      if (tag === 0x0a) resourceMetrics.push(this.#resourceMetrics(reader.end(end)));
      else reader.skip(tag, REQUEST, 'ExportMetricsServiceRequest');
    }
    const rejected = this.#skipped.rejected();
    return rejected === undefined ? { resourceMetrics } : { resourceMetrics, rejected };
  }

  #resourceMetrics(end: number): ResourceMetrics {
    const reader = this.#reader;
    let resource: Attributes = {};
    const scopes: ResourceMetrics['scopes'] = [];
    while (reader.position < end) {
      const tag = reader.varint();
      if (tag === 0x0a) resource = readResource(reader, reader.end(end), this.#location);
      else if (tag === 0x12) scopes.push(this.#scopeMetrics(reader.end(end)));
      else reader.skip(tag, RESOURCE_METRICS, 'ResourceMetrics');
    }
    reader.finish(end);
    return { resource, scopes };
  }

  #scopeMetrics(end: number): { scope: Scope; metrics: Metric[] } {
    const reader = this.#reader;
    let scope: Scope = { name: '' };
    const metrics: Metric[] = [];
    while (reader.position < end) {
      const tag = reader.varint();
      if (tag === 0x0a) scope = readScope(reader, reader.end(end), this.#location);
      else if (tag === 0x12) {
        const metric = this.#metric(reader.end(end));
        if (metric !== undefined) metrics.push(metric);
      } else reader.skip(tag, SCOPE_METRICS, 'ScopeMetrics');
    }
    reader.finish(end);
    return { scope, metrics };
  }

  /** A metric, or undefined for the types we skip (counted in #skipped) and empty ones. */
  #metric(end: number): Metric | undefined {
    const reader = this.#reader;
    const location: Location = this.#location;
    location.enter('metric');
    let name = '';
    let description = '';
    let unit = '';
    let metric: Metric | undefined;
    while (reader.position < end) {
      const tag = reader.varint();
      switch (tag) {
        case 0x0a: // name
          name = reader.string(reader.end(end), 'name', location);
          checkLength(name, 'name', location);
          location.name = name;
          break;
        case 0x12: // description
          description = reader.string(reader.end(end), 'description', location);
          break;
        case 0x1a: // unit
          unit = reader.string(reader.end(end), 'unit', location);
          checkLength(unit, 'unit', location);
          break;
        case 0x2a: // gauge
          metric = this.#numberMetric('gauge', reader.end(end));
          break;
        case 0x3a: // sum
          metric = this.#numberMetric('sum', reader.end(end));
          break;
        case 0x4a: // histogram
          metric = this.#histogramMetric(reader.end(end));
          break;
        case 0x52: // exponential_histogram
          this.#skipped.exponentialHistogram += this.#countPoints(reader.end(end));
          break;
        case 0x5a: // summary
          this.#skipped.summary += this.#countPoints(reader.end(end));
          break;
        default:
          reader.skip(tag, METRIC, 'Metric');
      }
    }
    reader.finish(end);
    if (name === '') location.fail('name is missing');
    if (metric === undefined) return undefined;
    metric.name = name;
    // A description is free text, not an identifier: cut it rather than refuse the export.
    metric.description =
      description.length > MAX_STRING_LENGTH
        ? description.slice(0, MAX_STRING_LENGTH)
        : description;
    metric.unit = unit;
    return metric;
  }

  /** Gauge or Sum. Name, unit and description are filled in by #metric. */
  #numberMetric(kind: 'gauge' | 'sum', end: number): Metric {
    const reader = this.#reader;
    const location: Location = this.#location;
    const points: NumberPoint[] = [];
    let temporality = 0;
    let monotonic = false;
    let index = 0;
    while (reader.position < end) {
      const tag = reader.varint();
      if (tag === 0x0a) {
        location.point = index++;
        readNumberPoint(reader, reader.end(end), location, points);
        location.point = -1;
      } else if (tag === 0x10 && kind === 'sum') temporality = reader.varint();
      else if (tag === 0x18 && kind === 'sum') monotonic = reader.varint() !== 0;
      else if (kind === 'sum') reader.skip(tag, SUM, 'Sum');
      else reader.skip(tag, GAUGE, 'Gauge');
    }
    reader.finish(end);
    if (kind === 'gauge') return { name: '', unit: '', description: '', kind, points };
    return {
      name: '',
      unit: '',
      description: '',
      kind,
      temporality: this.#temporality(temporality),
      monotonic,
      points,
    };
  }

  #histogramMetric(end: number): Metric {
    const reader = this.#reader;
    const location: Location = this.#location;
    const points: HistogramPoint[] = [];
    let temporality = 0;
    let index = 0;
    while (reader.position < end) {
      const tag = reader.varint();
      if (tag === 0x0a) {
        location.point = index++;
        readHistogramPoint(reader, reader.end(end), location, points);
        location.point = -1;
      } else if (tag === 0x10) temporality = reader.varint();
      else reader.skip(tag, HISTOGRAM, 'Histogram');
    }
    reader.finish(end);
    return {
      name: '',
      unit: '',
      description: '',
      kind: 'histogram',
      temporality: this.#temporality(temporality),
      points,
    };
  }

  /** Data points (field 1) in an ExponentialHistogram or Summary, which are skipped unread. */
  #countPoints(end: number): number {
    const reader = this.#reader;
    let count = 0;
    while (reader.position < end) {
      const tag = reader.varint();
      if (tag === 0x0a) count++;
      reader.skip(tag, 0, 'data points');
    }
    reader.finish(end);
    return count;
  }

  #temporality(value: number): Temporality {
    const temporality = TEMPORALITIES[value];
    if (temporality === undefined) {
      this.#location.fail(`aggregationTemporality ${value} is not 0, 1 or 2`);
    }
    return temporality;
  }
}
