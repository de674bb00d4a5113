import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { encodeErrorResponse } from './encode-error-response.js';
import { encodeExportResponse } from './encode-export-response.js';
import { OtlpDecodeError } from './otlp-decode-error.js';

const REJECTED = { count: 300, message: 'summaries are not supported: 300 data points skipped' };

/** Reads a message of varint and length-delimited fields into field number → values, by hand. */
function fieldsOf(bytes: Uint8Array): Map<number, Array<number | Uint8Array>> {
  const fields = new Map<number, Array<number | Uint8Array>>();
  let position = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = bytes[position++]!;
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  while (position < bytes.length) {
    const tag = varint();
    const values = fields.get(tag >> 3) ?? [];
    if ((tag & 7) === 0) values.push(varint());
    else {
      const length = varint();
      values.push(bytes.subarray(position, position + length));
      position += length;
    }
    fields.set(tag >> 3, values);
  }
  return fields;
}

describe('encodeExportResponse', () => {
  it('answers full success with an empty message: zero bytes, or {}', () => {
    expect(encodeExportResponse('metrics', undefined, 'application/x-protobuf')).toEqual({
      body: new Uint8Array(0),
      contentType: 'application/x-protobuf',
    });
    expect(encodeExportResponse('traces', undefined, 'application/json; charset=utf-8')).toEqual({
      body: '{}',
      contentType: 'application/json',
    });
  });

  it('encodes partial success in protobuf: field 1 { rejected = 1, error_message = 2 }', () => {
    const { body, contentType } = encodeExportResponse(
      'metrics',
      REJECTED,
      'application/x-protobuf',
    );
    expect(contentType).toBe('application/x-protobuf');
    const outer = fieldsOf(body as Uint8Array);
    expect([...outer.keys()]).toEqual([1]);
    const inner = fieldsOf(outer.get(1)![0] as Uint8Array);
    expect(inner.get(1)).toEqual([300]);
    expect(Buffer.from(inner.get(2)![0] as Uint8Array).toString()).toBe(REJECTED.message);
  });

  it('is read back by the OpenTelemetry exporters, in both encodings', () => {
    const metrics = encodeExportResponse('metrics', REJECTED, 'application/x-protobuf')
      .body as Uint8Array;
    expect(ProtobufMetricsSerializer.deserializeResponse(metrics)).toEqual({
      partialSuccess: { rejectedDataPoints: 300, errorMessage: REJECTED.message },
    });
    const traces = encodeExportResponse(
      'traces',
      { count: 2, message: 'no' },
      'application/x-protobuf',
    ).body as Uint8Array;
    expect(ProtobufTraceSerializer.deserializeResponse(traces)).toEqual({
      partialSuccess: { rejectedSpans: 2, errorMessage: 'no' },
    });
    const json = encodeExportResponse('metrics', REJECTED, 'application/json').body as string;
    expect(json).toBe(
      `{"partialSuccess":{"rejectedDataPoints":"300","errorMessage":"${REJECTED.message}"}}`,
    );
    expect(JsonMetricsSerializer.deserializeResponse(Buffer.from(json))).toEqual({
      partialSuccess: { rejectedDataPoints: '300', errorMessage: REJECTED.message },
    });
    const jsonTraces = encodeExportResponse(
      'traces',
      { count: 2, message: 'no' },
      'application/json',
    ).body as string;
    expect(JsonTraceSerializer.deserializeResponse(Buffer.from(jsonTraces))).toEqual({
      partialSuccess: { rejectedSpans: '2', errorMessage: 'no' },
    });
  });

  it('refuses a content type OTLP does not use', () => {
    expect(() => encodeExportResponse('metrics', undefined, 'text/html')).toThrow(OtlpDecodeError);
  });
});

describe('encodeErrorResponse', () => {
  it('encodes a google.rpc.Status { code = 1, message = 2 } in the request encoding', () => {
    const { body, contentType } = encodeErrorResponse(
      'metric `x` point 0: value is NaN',
      'application/x-protobuf',
    );
    expect(contentType).toBe('application/x-protobuf');
    const fields = fieldsOf(body as Uint8Array);
    expect(fields.get(1)).toEqual([3]);
    expect(Buffer.from(fields.get(2)![0] as Uint8Array).toString()).toBe(
      'metric `x` point 0: value is NaN',
    );
    expect(encodeErrorResponse('bad', 'application/json')).toEqual({
      body: '{"code":3,"message":"bad"}',
      contentType: 'application/json',
    });
  });

  it('answers in JSON when the content type itself was the problem', () => {
    expect(encodeErrorResponse('unsupported', 'text/plain').contentType).toBe('application/json');
  });
});
