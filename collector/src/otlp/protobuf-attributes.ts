import { checkLength } from './checks.js';
import { MAX_ATTRIBUTE_NESTING, MAX_ATTRIBUTES } from './limits.js';
import type { Location } from './location.js';
import { fields, type ProtobufReader } from './protobuf-reader.js';
import { setAttribute } from './set-attribute.js';
import type { Attributes, AttributeValue } from './types.js';

// opentelemetry/proto/common/v1/common.proto
const KEY_VALUE = fields(1, 2);
const ANY_VALUE = fields(1, 2, 3, 4, 5, 6, 7);
const VALUE_LIST = fields(1);

/**
 * Reads one KeyValue message (the bytes up to `end`) into `attributes`. `nesting` counts the
 * arrays and key-value lists around it, 0 for a top-level attribute.
 */
export function readKeyValue(
  reader: ProtobufReader,
  end: number,
  attributes: Attributes,
  location: Location,
  nesting: number,
): void {
  let key = '';
  let value: AttributeValue = null;
  while (reader.position < end) {
    const tag = reader.varint();
    if (tag === 0x0a) key = reader.string(reader.end(end), 'attribute key', location);
    else if (tag === 0x12) value = readAnyValue(reader, reader.end(end), location, nesting);
    else reader.skip(tag, KEY_VALUE, 'KeyValue');
  }
  reader.finish(end);
  checkLength(key, 'attribute key', location);
  setAttribute(attributes, key, value);
}

/** One more attribute on a resource, point or span: fails past the limit. */
export function countAttribute(count: number, location: Location): number {
  if (count >= MAX_ATTRIBUTES) location.fail(`more than ${MAX_ATTRIBUTES} attributes`);
  return count + 1;
}

function readAnyValue(
  reader: ProtobufReader,
  end: number,
  location: Location,
  nesting: number,
): AttributeValue {
  // An AnyValue with no field set is an empty value, which we spell null.
  let value: AttributeValue = null;
  while (reader.position < end) {
    const tag = reader.varint();
    switch (tag) {
      case 0x0a: // string_value
        value = reader.string(reader.end(end), 'attribute value', location);
        checkLength(value, 'attribute value', location);
        break;
      case 0x10: // bool_value
        value = reader.varint() !== 0;
        break;
      case 0x18: // int_value
        value = reader.int64();
        break;
      case 0x21: // double_value
        value = reader.double();
        break;
      case 0x2a: // array_value
        checkNesting(nesting, location);
        value = readArray(reader, reader.end(end), location, nesting + 1);
        break;
      case 0x32: // kvlist_value
        checkNesting(nesting, location);
        value = readKeyValueList(reader, reader.end(end), location, nesting + 1);
        break;
      case 0x3a: {
        // bytes_value: base64, as OTLP/JSON spells it, so both encodings decode alike.
        const bytesEnd = reader.end(end);
        const bytes = reader.bytes;
        value = Buffer.from(
          bytes.buffer,
          bytes.byteOffset + reader.position,
          bytesEnd - reader.position,
        ).toString('base64');
        reader.position = bytesEnd;
        break;
      }
      default:
        reader.skip(tag, ANY_VALUE, 'AnyValue');
    }
  }
  reader.finish(end);
  return value;
}

function readArray(
  reader: ProtobufReader,
  end: number,
  location: Location,
  nesting: number,
): AttributeValue[] {
  const values: AttributeValue[] = [];
  while (reader.position < end) {
    const tag = reader.varint();
    if (tag === 0x0a) values.push(readAnyValue(reader, reader.end(end), location, nesting));
    else reader.skip(tag, VALUE_LIST, 'ArrayValue');
  }
  reader.finish(end);
  return values;
}

function readKeyValueList(
  reader: ProtobufReader,
  end: number,
  location: Location,
  nesting: number,
): Attributes {
  const attributes: Attributes = {};
  let count = 0;
  while (reader.position < end) {
    const tag = reader.varint();
    if (tag === 0x0a) {
      count = countAttribute(count, location);
      readKeyValue(reader, reader.end(end), attributes, location, nesting);
    } else reader.skip(tag, VALUE_LIST, 'KeyValueList');
  }
  reader.finish(end);
  return attributes;
}

function checkNesting(nesting: number, location: Location): void {
  if (nesting >= MAX_ATTRIBUTE_NESTING) {
    location.fail(`attribute nesting deeper than ${MAX_ATTRIBUTE_NESTING}`);
  }
}
