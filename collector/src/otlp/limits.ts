/**
 * Bounds on what a sender may put in one export. They keep a hostile or broken sender from
 * costing the collector more than a normal export would, and keep every value the aggregator
 * sees exactly representable as a double.
 */

/** Arrays and key-value lists inside one attribute value. */
export const MAX_ATTRIBUTE_NESTING = 8;

/** Names, units, attribute keys and string values, in UTF-16 code units. */
export const MAX_STRING_LENGTH = 4096;

/** Attributes on one resource, scope, point or span (and entries in one key-value list). */
export const MAX_ATTRIBUTES = 128;

/** Metric values, sums, counts: well inside 2^53, so sums of them stay exact. */
export const MAX_MAGNITUDE = 1e15;

/**
 * Brackets in a JSON body. A real OTLP/JSON export nests about 45 deep at most (a span event's
 * attribute holding 8 levels of key-value lists), so 64 only rejects bodies built to hurt.
 */
export const MAX_JSON_DEPTH = 64;

/** 2000-01-01T00:00:00Z: a time before this is a clock or unit bug, not data. */
export const MIN_TIME_MS = Date.UTC(2000, 0, 1);

/** 2201-01-01T00:00:00Z, the end of the year 2200. */
export const MAX_TIME_MS = Date.UTC(2201, 0, 1);
