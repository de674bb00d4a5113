import { checkLength, checkTime } from './checks.js';
import type { DecodedTracesRequest } from './decoded-request.js';
import { idFromJson } from './hex.js';
import { jsonAttributes } from './json-attributes.js';
import { parseJsonBody } from './json-body.js';
import { jsonResource, jsonScope } from './json-resource.js';
import {
  type JsonObject,
  jsonArray,
  jsonEnum,
  jsonObject,
  jsonString,
  jsonTime,
  member,
} from './json-values.js';
import { MAX_STRING_LENGTH } from './limits.js';
import { Location } from './location.js';
import type { ResourceSpans, Span, SpanKindName } from './types.js';

const KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const KINDS: SpanKindName[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const STATUS_CODES: Span['status']['code'][] = ['unset', 'ok', 'error'];

/** Decodes an ExportTraceServiceRequest in OTLP/JSON. */
export function decodeTracesJson(body: Uint8Array): DecodedTracesRequest {
  const root = parseJsonBody(body);
  const location = new Location();
  const list = member(root, 'resourceSpans', 'resource_spans');
  const resourceSpans: ResourceSpans[] = [];
  for (const item of jsonArray(list, 'resourceSpans', location)) {
    location.enter('request');
    const object: JsonObject = jsonObject(item, 'resourceSpans', location) ?? {};
    const resource = jsonResource(object.resource, location);
    const scopes: ResourceSpans['scopes'] = [];
    const scopeList = member(object, 'scopeSpans', 'scope_spans');
    for (const scopeItem of jsonArray(scopeList, 'scopeSpans', location)) {
      location.enter('resource');
      const scopeSpans: JsonObject = jsonObject(scopeItem, 'scopeSpans', location) ?? {};
      const scope = jsonScope(scopeSpans.scope, location);
      const spans: Span[] = [];
      for (const span of jsonArray(scopeSpans.spans, 'spans', location)) {
        spans.push(spanOf(span, location));
      }
      scopes.push({ scope, spans });
    }
    resourceSpans.push({ resource, scopes });
  }
  return { resourceSpans };
}

function spanOf(value: unknown, location: Location): Span {
  location.enter('span');
  const span: JsonObject = jsonObject(value, 'span', location) ?? {};
  const name = jsonString(span.name, 'name', location);
  checkLength(name, 'name', location);
  location.name = name;
  const traceId = idOf(member(span, 'traceId', 'trace_id'), 16, 'traceId', location);
  const spanId = idOf(member(span, 'spanId', 'span_id'), 8, 'spanId', location);
  if (traceId === undefined) location.fail('traceId is missing');
  if (spanId === undefined) location.fail('spanId is missing');
  const parentSpanId = idOf(
    member(span, 'parentSpanId', 'parent_span_id'),
    8,
    'parentSpanId',
    location,
  );
  const kind = KINDS[jsonEnum(span.kind, KIND_NAMES, 'kind', location)]!;
  const startTime = jsonTime(
    member(span, 'startTimeUnixNano', 'start_time_unix_nano'),
    'startTimeUnixNano',
    location,
  );
  const endTime = jsonTime(
    member(span, 'endTimeUnixNano', 'end_time_unix_nano'),
    'endTimeUnixNano',
    location,
  );
  checkTime(startTime, 'startTimeUnixNano', location);
  checkTime(endTime, 'endTimeUnixNano', location);
  const attributes = jsonAttributes(span.attributes, location);
  const decoded: Span = {
    traceId,
    spanId,
    name,
    kind,
    startTime,
    endTime,
    attributes,
    status: statusOf(span.status, location),
  };
  if (parentSpanId !== undefined) decoded.parentSpanId = parentSpanId;
  return decoded;
}

/** A hex id of `length` bytes; undefined when absent or empty (a root span's parent). */
function idOf(
  value: unknown,
  length: number,
  field: string,
  location: Location,
): string | undefined {
  const text = jsonString(value, field, location);
  if (text === '') return undefined;
  const id = idFromJson(text, length);
  if (id === undefined) location.fail(`${field} is not ${length} bytes of hex`);
  return id;
}

function statusOf(value: unknown, location: Location): Span['status'] {
  const status = jsonObject(value, 'status', location);
  if (status === undefined) return { code: 'unset' };
  const code = STATUS_CODES[jsonEnum(status.code, STATUS_CODE_NAMES, 'status code', location)]!;
  const message = jsonString(status.message, 'status message', location);
  if (message === '') return { code };
  // A status message is free text (often an exception's): cut it rather than refuse the export.
  return { code, message: message.slice(0, MAX_STRING_LENGTH) };
}
