import { checkLength } from './checks.js';
import { jsonAttributes } from './json-attributes.js';
import { type JsonObject, jsonObject, jsonString } from './json-values.js';
import type { Location } from './location.js';
import type { Attributes, Scope } from './types.js';

/** A Resource's attributes. */
export function jsonResource(value: unknown, location: Location): Attributes {
  location.enter('resource');
  const resource = jsonObject(value, 'resource', location);
  return resource === undefined ? {} : jsonAttributes(resource.attributes, location);
}

/** An InstrumentationScope's name and version (its attributes are not kept). */
export function jsonScope(value: unknown, location: Location): Scope {
  location.enter('scope');
  const scope: JsonObject = jsonObject(value, 'scope', location) ?? {};
  const name = jsonString(scope.name, 'name', location);
  const version = jsonString(scope.version, 'version', location);
  checkLength(name, 'name', location);
  checkLength(version, 'version', location);
  return version === '' ? { name } : { name, version };
}
