import { MAX_MAGNITUDE, MAX_STRING_LENGTH, MAX_TIME_MS, MIN_TIME_MS } from './limits.js';
import type { Location } from './location.js';

/** A metric value, sum, minimum, maximum or bound: finite and within ±1e15. */
export function checkValue(value: number, field: string, location: Location): void {
  // One comparison on the hot path; NaN fails it too.
  if (Math.abs(value) <= MAX_MAGNITUDE) return;
  if (Number.isNaN(value) || !Number.isFinite(value)) location.fail(`${field} is ${value}`);
  location.fail(`${field} ${value} exceeds 1e15 in magnitude`);
}

/** A count: a non-negative integer up to 1e15. */
export function checkCount(value: number, field: string, location: Location): void {
  if (value >= 0 && value <= MAX_MAGNITUDE && Number.isInteger(value)) return;
  if (value < 0) location.fail(`${field} ${value} is negative`);
  if (value > MAX_MAGNITUDE) location.fail(`${field} ${value} exceeds 1e15`);
  location.fail(`${field} ${value} is not an integer`);
}

/** A time in ms since the epoch: unset (0) or within the years 2000..2200. */
export function checkTime(milliseconds: number, field: string, location: Location): void {
  if (milliseconds === 0 || (milliseconds >= MIN_TIME_MS && milliseconds < MAX_TIME_MS)) return;
  location.fail(`${field} is outside the years 2000..2200 (${milliseconds} ms since the epoch)`);
}

/** A name, unit, key or string value: at most 4096 characters. */
export function checkLength(text: string, what: string, location: Location): void {
  if (text.length <= MAX_STRING_LENGTH) return;
  location.fail(`${what} is longer than ${MAX_STRING_LENGTH} characters (${text.length})`);
}

/**
 * An explicit-bucket histogram's buckets: counts as `checkCount`, bounds finite and increasing,
 * and one more count than bounds, or neither (opentelemetry/proto/metrics/v1/metrics.proto).
 */
export function checkBuckets(counts: number[], bounds: number[], location: Location): void {
  const expected = bounds.length + 1;
  if (counts.length !== expected && !(counts.length === 0 && bounds.length === 0)) {
    location.fail(
      `bucketCounts has ${counts.length} entries for ${bounds.length} explicitBounds (expected ${expected})`,
    );
  }
  for (let index = 0; index < counts.length; index++) {
    const count = counts[index]!;
    if (!(count >= 0 && count <= MAX_MAGNITUDE && Number.isInteger(count))) {
      checkCount(count, `bucketCounts[${index}]`, location);
    }
  }
  for (let index = 0; index < bounds.length; index++) {
    const bound = bounds[index]!;
    if (!(Math.abs(bound) <= MAX_MAGNITUDE)) {
      checkValue(bound, `explicitBounds[${index}]`, location);
    }
    if (index > 0 && !(bound > bounds[index - 1]!)) {
      location.fail(`explicitBounds[${index}] ${bound} is not above the bound before it`);
    }
  }
}
