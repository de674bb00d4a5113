import { checkLength } from './checks.js';
import type { Location } from './location.js';
import { countAttribute, readKeyValue } from './protobuf-attributes.js';
import { fields, type ProtobufReader } from './protobuf-reader.js';
import type { Attributes, Scope } from './types.js';

// opentelemetry/proto/resource/v1/resource.proto and common/v1/common.proto
const RESOURCE = fields(1);
const SCOPE = fields(1, 2);

/** A Resource message: its attributes (dropped_attributes_count is of no use to us). */
export function readResource(reader: ProtobufReader, end: number, location: Location): Attributes {
  location.enter('resource');
  const attributes: Attributes = {};
  let count = 0;
  while (reader.position < end) {
    const tag = reader.varint();
    if (tag === 0x0a) {
      count = countAttribute(count, location);
      readKeyValue(reader, reader.end(end), attributes, location, 0);
    } else reader.skip(tag, RESOURCE, 'Resource');
  }
  reader.finish(end);
  return attributes;
}

/** An InstrumentationScope message: name and version (its attributes are not kept). */
export function readScope(reader: ProtobufReader, end: number, location: Location): Scope {
  location.enter('scope');
  let name = '';
  let version = '';
  while (reader.position < end) {
    const tag = reader.varint();
    if (tag === 0x0a) name = reader.string(reader.end(end), 'name', location);
    else if (tag === 0x12) version = reader.string(reader.end(end), 'version', location);
    else reader.skip(tag, SCOPE, 'InstrumentationScope');
  }
  reader.finish(end);
  checkLength(name, 'name', location);
  checkLength(version, 'version', location);
  return version === '' ? { name } : { name, version };
}
