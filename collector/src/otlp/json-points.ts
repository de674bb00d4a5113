import { checkBuckets, checkCount, checkTime, checkValue } from './checks.js';
import { NO_RECORDED_VALUE } from './data-point-flags.js';
import { jsonAttributes } from './json-attributes.js';
import {
  type JsonObject,
  jsonArray,
  jsonDouble,
  jsonInteger,
  jsonObject,
  jsonTime,
  member,
} from './json-values.js';
import type { Location } from './location.js';
import type { HistogramPoint, NumberPoint } from './types.js';

/** A Gauge or Sum's data points, without the staleness markers. */
export function numberPoints(data: JsonObject, location: Location): NumberPoint[] {
  const list = jsonArray(member(data, 'dataPoints', 'data_points'), 'dataPoints', location);
  const points: NumberPoint[] = [];
  for (let index = 0; index < list.length; index++) {
    location.point = index;
    const point: JsonObject = jsonObject(list[index], 'data point', location) ?? {};
    const flags = jsonInteger(point.flags, 'flags', location);
    if (flags & NO_RECORDED_VALUE) continue;
    const asDouble = member(point, 'asDouble', 'as_double');
    const asInt = member(point, 'asInt', 'as_int');
    let value: number;
    if (asDouble !== undefined) value = jsonDouble(asDouble, 'asDouble', location);
    else if (asInt !== undefined) value = jsonInteger(asInt, 'asInt', location);
    else location.fail('value is missing (neither asDouble nor asInt)');
    checkValue(value, 'value', location);
    const startTime = jsonTime(
      member(point, 'startTimeUnixNano', 'start_time_unix_nano'),
      'startTimeUnixNano',
      location,
    );
    const time = jsonTime(
      member(point, 'timeUnixNano', 'time_unix_nano'),
      'timeUnixNano',
      location,
    );
    checkTime(startTime, 'startTimeUnixNano', location);
    checkTime(time, 'timeUnixNano', location);
    points.push({ attributes: jsonAttributes(point.attributes, location), startTime, time, value });
  }
  location.point = -1;
  return points;
}

/** A Histogram's data points, without the staleness markers. */
export function histogramPoints(data: JsonObject, location: Location): HistogramPoint[] {
  const list = jsonArray(member(data, 'dataPoints', 'data_points'), 'dataPoints', location);
  const points: HistogramPoint[] = [];
  for (let index = 0; index < list.length; index++) {
    location.point = index;
    const point: JsonObject = jsonObject(list[index], 'data point', location) ?? {};
    const flags = jsonInteger(point.flags, 'flags', location);
    if (flags & NO_RECORDED_VALUE) continue;
    const count = jsonInteger(point.count, 'count', location);
    checkCount(count, 'count', location);
    const bucketCounts: number[] = [];
    const counts = member(point, 'bucketCounts', 'bucket_counts');
    for (const item of jsonArray(counts, 'bucketCounts', location)) {
      bucketCounts.push(jsonInteger(item, 'bucketCounts', location));
    }
    const explicitBounds: number[] = [];
    const bounds = member(point, 'explicitBounds', 'explicit_bounds');
    for (const item of jsonArray(bounds, 'explicitBounds', location)) {
      explicitBounds.push(jsonDouble(item, 'explicitBounds', location));
    }
    checkBuckets(bucketCounts, explicitBounds, location);
    const startTime = jsonTime(
      member(point, 'startTimeUnixNano', 'start_time_unix_nano'),
      'startTimeUnixNano',
      location,
    );
    const time = jsonTime(
      member(point, 'timeUnixNano', 'time_unix_nano'),
      'timeUnixNano',
      location,
    );
    checkTime(startTime, 'startTimeUnixNano', location);
    checkTime(time, 'timeUnixNano', location);
    const attributes = jsonAttributes(point.attributes, location);
    const decoded: HistogramPoint = {
      attributes,
      startTime,
      time,
      count,
      bucketCounts,
      explicitBounds,
    };
    const sum = optionalValue(point.sum, 'sum', location);
    if (sum !== undefined) decoded.sum = sum;
    const min = optionalValue(point.min, 'min', location);
    if (min !== undefined) decoded.min = min;
    const max = optionalValue(point.max, 'max', location);
    if (max !== undefined) decoded.max = max;
    points.push(decoded);
  }
  location.point = -1;
  return points;
}

function optionalValue(value: unknown, field: string, location: Location): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = jsonDouble(value, field, location);
  checkValue(number, field, location);
  return number;
}
