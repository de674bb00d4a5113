import type { Location } from './location.js';

/**
 * Typed reads of OTLP/JSON members (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding,
 * which follows the proto3 JSON mapping). A member of the wrong JSON type fails with the
 * member's name; a missing or null member reads as the proto default.
 */
export type JsonObject = Record<string, unknown>;

const NO_ITEMS: readonly unknown[] = Object.freeze([]);
const INTEGER_TEXT = /^-?\d+$/;

/**
 * A member under its lowerCamelCase name or, failing that, the proto's snake_case name: the spec
 * lets receivers accept both. null is the proto3 JSON spelling of "unset".
 */
export function member(object: JsonObject, camel: string, snake?: string): unknown {
  const value = object[camel];
  if (value !== undefined && value !== null) return value;
  if (snake === undefined) return undefined;
  return object[snake] ?? undefined;
}

export function jsonObject(
  value: unknown,
  field: string,
  location: Location,
): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    location.fail(`${field} must be an object, got ${shown(value)}`);
  }
  return value as JsonObject;
}

export function jsonArray(value: unknown, field: string, location: Location): readonly unknown[] {
  if (value === undefined || value === null) return NO_ITEMS;
  if (!Array.isArray(value)) location.fail(`${field} must be an array, got ${shown(value)}`);
  return value;
}

export function jsonString(value: unknown, field: string, location: Location): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  location.fail(`${field} must be a string, got ${shown(value)}`);
}

export function jsonBoolean(value: unknown, field: string, location: Location): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return false;
  location.fail(`${field} must be a boolean, got ${shown(value)}`);
}

/** A 64-bit (or 32-bit) integer: proto3 JSON writes 64-bit ones as decimal strings. */
export function jsonInteger(value: unknown, field: string, location: Location): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value;
  } else if (typeof value === 'string') {
    if (INTEGER_TEXT.test(value)) return Number(value);
  } else if (value === undefined || value === null) {
    return 0;
  }
  location.fail(`${field} must be an integer, got ${shown(value)}`);
}

/** A double: a number, or one of the strings proto3 JSON uses for the values JSON lacks. */
export function jsonDouble(value: unknown, field: string, location: Location): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (value === undefined || value === null) return 0;
  location.fail(`${field} must be a number, got ${shown(value)}`);
}

/**
 * A time in ns since the epoch, as whole ms. The decimal string is cut rather than divided so that
 * nanosecond values beyond 2^53 stay exact.
 */
export function jsonTime(value: unknown, field: string, location: Location): number {
  if (typeof value === 'string' && value.length > 6 && INTEGER_TEXT.test(value)) {
    return Number(value.slice(0, -6));
  }
  const nanoseconds = jsonInteger(value, field, location);
  return Math.floor(nanoseconds / 1e6);
}

/** An enum: its number, or its name as proto3 JSON writes it. */
export function jsonEnum(
  value: unknown,
  names: readonly string[],
  field: string,
  location: Location,
): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < names.length) return value;
  } else if (typeof value === 'string') {
    const index = names.indexOf(value);
    if (index >= 0) return index;
  } else if (value === undefined || value === null) {
    return 0;
  }
  location.fail(
    `${field} ${shown(value)} is not one of 0..${names.length - 1} or ${names.join(', ')}`,
  );
}

/** A JSON value inside an error message: short and on one line. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
