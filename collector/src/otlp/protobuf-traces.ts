import { checkLength, checkTime } from './checks.js';
import type { DecodedTracesRequest } from './decoded-request.js';
import { hexOf } from './hex.js';
import { MAX_STRING_LENGTH } from './limits.js';
import { Location } from './location.js';
import { countAttribute, readKeyValue } from './protobuf-attributes.js';
import { fields, ProtobufReader } from './protobuf-reader.js';
import { readResource, readScope } from './protobuf-resource.js';
import type { Attributes, ResourceSpans, Scope, Span, SpanKindName } from './types.js';

// Field numbers from opentelemetry/proto/trace/v1/trace.proto. A case label is the whole tag:
// field number << 3 | wire type (0 varint, 1 fixed64, 2 length-delimited).
const REQUEST = fields(1);
const RESOURCE_SPANS = fields(1, 2);
const SCOPE_SPANS = fields(1, 2);
const SPAN = fields(1, 2, 4, 5, 6, 7, 8, 9, 15);
const STATUS = fields(2, 3);

const KINDS: SpanKindName[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
const STATUS_CODES: Span['status']['code'][] = ['unset', 'ok', 'error'];

/** Decodes an ExportTraceServiceRequest. */
export function decodeTracesProtobuf(body: Uint8Array): DecodedTracesRequest {
  return new ProtobufTracesDecoder(body).request();
}

class ProtobufTracesDecoder {
  readonly #reader: ProtobufReader;
  readonly #location: Location = new Location();

  constructor(body: Uint8Array) {
    this.#reader = new ProtobufReader(body);
  }

  request(): DecodedTracesRequest {
    const reader = this.#reader;
    const end = reader.bytes.length;
    const resourceSpans: ResourceSpans[] = [];
    while (reader.position < end) {
      const tag = reader.varint();
      if (tag === 0x0a) resourceSpans.push(this.#resourceSpans(reader.end(end)));
      else reader.skip(tag, REQUEST, 'ExportTraceServiceRequest');
    }
    return { resourceSpans };
  }

  #resourceSpans(end: number): ResourceSpans {
    const reader = this.#reader;
    let resource: Attributes = {};
    const scopes: ResourceSpans['scopes'] = [];
    while (reader.position < end) {
      const tag = reader.varint();
      if (tag === 0x0a) resource = readResource(reader, reader.end(end), this.#location);
      else if (tag === 0x12) scopes.push(this.#scopeSpans(reader.end(end)));
      else reader.skip(tag, RESOURCE_SPANS, 'ResourceSpans');
    }
    reader.finish(end);
    return { resource, scopes };
  }

  #scopeSpans(end: number): { scope: Scope; spans: Span[] } {
    const reader = this.#reader;
    let scope: Scope = { name: '' };
    const spans: Span[] = [];
    while (reader.position < end) {
      const tag = reader.varint();
      if (tag === 0x0a) scope = readScope(reader, reader.end(end), this.#location);
      else if (tag === 0x12) spans.push(this.#span(reader.end(end)));
      else reader.skip(tag, SCOPE_SPANS, 'ScopeSpans');
    }
    reader.finish(end);
    return { scope, spans };
  }

  #span(end: number): Span {
    const reader = this.#reader;
    const location: Location = this.#location;
    location.enter('span');
    const attributes: Attributes = {};
    let count = 0;
    let traceId = '';
    let spanId = '';
    let parentSpanId = '';
    let name = '';
    let kind = 0;
    let startTime = 0;
    let endTime = 0;
    let status: Span['status'] = { code: 'unset' };
    while (reader.position < end) {
      const tag = reader.varint();
      switch (tag) {
        case 0x0a: // trace_id
          traceId = this.#id(reader.end(end), 16, 'traceId');
          break;
        case 0x12: // span_id
          spanId = this.#id(reader.end(end), 8, 'spanId');
          break;
        case 0x22: // parent_span_id, empty for a root span
          parentSpanId = this.#id(reader.end(end), 8, 'parentSpanId');
          break;
        case 0x2a: // name
          name = reader.string(reader.end(end), 'name', location);
          checkLength(name, 'name', location);
          location.name = name;
          break;
        case 0x30: // kind
          kind = reader.varint();
          break;
        case 0x39: // start_time_unix_nano
          startTime = reader.milliseconds();
          break;
        case 0x41: // end_time_unix_nano
          endTime = reader.milliseconds();
          break;
        case 0x4a: // attributes
          count = countAttribute(count, location);
          readKeyValue(reader, reader.end(end), attributes, location, 0);
          break;
        case 0x7a: // status
          status = this.#status(reader.end(end));
          break;
        default:
          reader.skip(tag, SPAN, 'Span');
      }
    }
    reader.finish(end);
    if (traceId === '') location.fail('traceId is missing');
    if (spanId === '') location.fail('spanId is missing');
    const kindName = KINDS[kind];
    if (kindName === undefined) location.fail(`kind ${kind} is not 0..5`);
    checkTime(startTime, 'startTimeUnixNano', location);
    checkTime(endTime, 'endTimeUnixNano', location);
    const span: Span = {
      traceId,
      spanId,
      name,
      kind: kindName,
      startTime,
      endTime,
      attributes,
      status,
    };
    if (parentSpanId !== '') span.parentSpanId = parentSpanId;
    return span;
  }

  /** An id of `length` bytes as hex; '' when the field is empty (a root span's parent). */
  #id(end: number, length: number, field: string): string {
    const reader = this.#reader;
    const start = reader.position;
    reader.position = end;
    if (end === start) return '';
    if (end - start !== length) {
      this.#location.fail(`${field} is ${end - start} bytes, expected ${length}`);
    }
    return hexOf(reader.bytes, start, end);
  }

  #status(end: number): Span['status'] {
    const reader = this.#reader;
    let message = '';
    let code = 0;
    while (reader.position < end) {
      const tag = reader.varint();
      if (tag === 0x12) message = reader.string(reader.end(end), 'status message', this.#location);
      else if (tag === 0x18) code = reader.varint();
      else reader.skip(tag, STATUS, 'Status');
    }
    reader.finish(end);
    const codeName = STATUS_CODES[code];
    if (codeName === undefined) this.#location.fail(`status code ${code} is not 0, 1 or 2`);
    if (message === '') return { code: codeName };
    // A status message is free text (often an exception's): cut it rather than refuse the export.
    return { code: codeName, message: message.slice(0, MAX_STRING_LENGTH) };
  }
}
