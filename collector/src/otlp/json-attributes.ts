import { checkLength } from './checks.js';
import {
  type JsonObject,
  jsonArray,
  jsonBoolean,
  jsonDouble,
  jsonInteger,
  jsonObject,
  jsonString,
  member,
} from './json-values.js';
import { MAX_ATTRIBUTE_NESTING, MAX_ATTRIBUTES } from './limits.js';
import type { Location } from './location.js';
import { setAttribute } from './set-attribute.js';
import type { Attributes, AttributeValue } from './types.js';

/** An OTLP/JSON `attributes` array (of KeyValue) as a plain object. */
export function jsonAttributes(value: unknown, location: Location, nesting = 0): Attributes {
  const list = jsonArray(value, 'attributes', location);
  if (list.length > MAX_ATTRIBUTES) location.fail(`more than ${MAX_ATTRIBUTES} attributes`);
  const attributes: Attributes = {};
  for (const item of list) {
    const keyValue = jsonObject(item, 'attribute', location);
    if (keyValue === undefined) location.fail('attribute must be an object, got null');
    const key = jsonString(keyValue.key, 'attribute key', location);
    checkLength(key, 'attribute key', location);
    setAttribute(attributes, key, anyValue(keyValue.value, location, nesting));
  }
  return attributes;
}

/** An AnyValue. `nesting` counts the arrays and key-value lists around it. */
function anyValue(value: unknown, location: Location, nesting: number): AttributeValue {
  const object = jsonObject(value, 'attribute value', location);
  // An AnyValue with no member set is an empty value, which we spell null.
  if (object === undefined) return null;
  // Most attributes are strings: look for that first.
  let content = member(object, 'stringValue', 'string_value');
  if (content !== undefined) {
    const text = jsonString(content, 'stringValue', location);
    checkLength(text, 'attribute value', location);
    return text;
  }
  content = member(object, 'intValue', 'int_value');
  if (content !== undefined) return jsonInteger(content, 'intValue', location);
  content = member(object, 'boolValue', 'bool_value');
  if (content !== undefined) return jsonBoolean(content, 'boolValue', location);
  content = member(object, 'doubleValue', 'double_value');
  if (content !== undefined) return jsonDouble(content, 'doubleValue', location);
  content = member(object, 'arrayValue', 'array_value');
  if (content !== undefined) return array(content, location, nesting);
  content = member(object, 'kvlistValue', 'kvlist_value');
  if (content !== undefined) return keyValueList(content, location, nesting);
  content = member(object, 'bytesValue', 'bytes_value');
  // Already base64, the spelling the protobuf decoder also produces.
  if (content !== undefined) return jsonString(content, 'bytesValue', location);
  return null;
}

function array(value: unknown, location: Location, nesting: number): AttributeValue[] {
  checkNesting(nesting, location);
  const values = listOf(value, 'arrayValue', location);
  const items: AttributeValue[] = [];
  for (const item of values) items.push(anyValue(item, location, nesting + 1));
  return items;
}

function keyValueList(value: unknown, location: Location, nesting: number): Attributes {
  checkNesting(nesting, location);
  return jsonAttributes(listOf(value, 'kvlistValue', location), location, nesting + 1);
}

/** The `values` array of an ArrayValue or KeyValueList. */
function listOf(value: unknown, field: string, location: Location): readonly unknown[] {
  const list = jsonObject(value, field, location) as JsonObject;
  return jsonArray(list.values, `${field}.values`, location);
}

function checkNesting(nesting: number, location: Location): void {
  if (nesting >= MAX_ATTRIBUTE_NESTING) {
    location.fail(`attribute nesting deeper than ${MAX_ATTRIBUTE_NESTING}`);
  }
}
