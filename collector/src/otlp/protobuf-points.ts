import { checkBuckets, checkCount, checkTime, checkValue } from './checks.js';
import { NO_RECORDED_VALUE } from './data-point-flags.js';
import type { Location } from './location.js';
import { countAttribute, readKeyValue } from './protobuf-attributes.js';
import { fields, type ProtobufReader } from './protobuf-reader.js';
import type { Attributes, HistogramPoint, NumberPoint } from './types.js';

// opentelemetry/proto/metrics/v1/metrics.proto. A case label is the whole tag: field number << 3
// | wire type (0 varint, 1 fixed64, 2 length-delimited).
const NUMBER_POINT = fields(2, 3, 4, 6, 7, 8);
const HISTOGRAM_POINT = fields(2, 3, 4, 5, 6, 7, 9, 10, 11, 12);

/** Reads a NumberDataPoint into `points`, unless it is a staleness marker. */
export function readNumberPoint(
  reader: ProtobufReader,
  end: number,
  location: Location,
  points: NumberPoint[],
): void {
  const attributes: Attributes = {};
  let count = 0;
  let startTime = 0;
  let time = 0;
  let value = 0;
  let hasValue = false;
  let flags = 0;
  while (reader.position < end) {
    const tag = reader.varint();
    switch (tag) {
      case 0x11: // start_time_unix_nano
        startTime = reader.milliseconds();
        break;
      case 0x19: // time_unix_nano
        time = reader.milliseconds();
        break;
      case 0x21: // as_double
        value = reader.double();
        hasValue = true;
        break;
      case 0x31: // as_int
        value = reader.sfixed64();
        hasValue = true;
        break;
      case 0x3a: // attributes
        count = countAttribute(count, location);
        readKeyValue(reader, reader.end(end), attributes, location, 0);
        break;
      case 0x40: // flags
        flags = reader.varint();
        break;
      default:
        reader.skip(tag, NUMBER_POINT, 'NumberDataPoint');
    }
  }
  reader.finish(end);
  if (flags & NO_RECORDED_VALUE) return;
  if (!hasValue) location.fail('value is missing (neither asDouble nor asInt)');
  checkValue(value, 'value', location);
  checkTime(startTime, 'startTimeUnixNano', location);
  checkTime(time, 'timeUnixNano', location);
  points.push({ attributes, startTime, time, value });
}

/** Reads a HistogramDataPoint into `points`, unless it is a staleness marker. */
export function readHistogramPoint(
  reader: ProtobufReader,
  end: number,
  location: Location,
  points: HistogramPoint[],
): void {
  const attributes: Attributes = {};
  const bucketCounts: number[] = [];
  const explicitBounds: number[] = [];
  let attributeCount = 0;
  let startTime = 0;
  let time = 0;
  let count = 0;
  let sum: number | undefined;
  let min: number | undefined;
  let max: number | undefined;
  let flags = 0;
  while (reader.position < end) {
    const tag = reader.varint();
    switch (tag) {
      case 0x11: // start_time_unix_nano
        startTime = reader.milliseconds();
        break;
      case 0x19: // time_unix_nano
        time = reader.milliseconds();
        break;
      case 0x21: // count
        count = reader.fixed64();
        break;
      case 0x29: // sum
        sum = reader.double();
        break;
      case 0x32: {
        // bucket_counts, packed (the proto3 default)
        const packedEnd = reader.end(end);
        while (reader.position < packedEnd) bucketCounts.push(reader.fixed64());
        reader.finish(packedEnd);
        break;
      }
      case 0x31: // bucket_counts, one per field: parsers must accept both forms
        bucketCounts.push(reader.fixed64());
        break;
      case 0x3a: {
        // explicit_bounds, packed
        const packedEnd = reader.end(end);
        while (reader.position < packedEnd) explicitBounds.push(reader.double());
        reader.finish(packedEnd);
        break;
      }
      case 0x39: // explicit_bounds, one per field
        explicitBounds.push(reader.double());
        break;
      case 0x4a: // attributes
        attributeCount = countAttribute(attributeCount, location);
        readKeyValue(reader, reader.end(end), attributes, location, 0);
        break;
      case 0x50: // flags
        flags = reader.varint();
        break;
      case 0x59: // min
        min = reader.double();
        break;
      case 0x61: // max
        max = reader.double();
        break;
      default:
        reader.skip(tag, HISTOGRAM_POINT, 'HistogramDataPoint');
    }
  }
  reader.finish(end);
  if (flags & NO_RECORDED_VALUE) return;
  checkCount(count, 'count', location);
  checkBuckets(bucketCounts, explicitBounds, location);
  checkTime(startTime, 'startTimeUnixNano', location);
  checkTime(time, 'timeUnixNano', location);
  const point: HistogramPoint = {
    attributes,
    startTime,
    time,
    count,
    bucketCounts,
    explicitBounds,
  };
  if (sum !== undefined) {
    checkValue(sum, 'sum', location);
    point.sum = sum;
  }
  if (min !== undefined) {
    checkValue(min, 'min', location);
    point.min = min;
  }
  if (max !== undefined) {
    checkValue(max, 'max', location);
    point.max = max;
  }
  points.push(point);
}
