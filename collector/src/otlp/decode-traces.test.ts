import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeTraces } from './decode-traces.js';
import {
  bytesField,
  expectedTraces,
  fixed64Field,
  message,
  sdkSpans,
  tracesRequest,
  varintField,
} from './test-helpers.js';

describe('decodeTraces on what the OpenTelemetry SDK sends', () => {
  it("decodes the protobuf serializer's export exactly", async () => {
    const spans = await sdkSpans();
    const body = ProtobufTraceSerializer.serializeRequest(spans)!;
    expect(decodeTraces(body, 'application/x-protobuf')).toEqual(expectedTraces(spans));
  });

  it("decodes the JSON serializer's export exactly", async () => {
    const spans = await sdkSpans();
    const body = JsonTraceSerializer.serializeRequest(spans)!;
    expect(decodeTraces(body, 'application/json')).toEqual(expectedTraces(spans));
  });

  it('keeps the parent links, kinds and statuses the SDK recorded', async () => {
    const decoded = decodeTraces(
      ProtobufTraceSerializer.serializeRequest(await sdkSpans())!,
      'application/x-protobuf',
    );
    const [main, other] = decoded.resourceSpans[0]!.scopes;
    expect(main!.scope).toEqual({ name: '@headroom/sdk', version: '0.1.0' });
    expect(other).toMatchObject({ scope: { name: 'other-scope' }, spans: [{ name: 'unscoped' }] });
    const byName = new Map(main!.spans.map((span) => [span.name, span]));
    const run = byName.get('invoke_agent support')!;
    const node = byName.get('node plan')!;
    const call = byName.get('chat gpt-4o')!;
    const [failed, succeeded] = main!.spans.filter((span) => span.name === 'POST');
    expect(run.parentSpanId).toBeUndefined();
    expect(node.parentSpanId).toBe(run.spanId);
    expect(call.parentSpanId).toBe(node.spanId);
    expect(failed!.parentSpanId).toBe(call.spanId);
    expect(new Set(main!.spans.map((span) => span.traceId)).size).toBe(4);
    expect(run.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(failed!.status).toEqual({ code: 'error', message: 'Too Many Requests' });
    expect(succeeded!.status).toEqual({ code: 'unset' });
    expect(call).toMatchObject({ kind: 'client', status: { code: 'ok' } });
    expect(main!.spans.map((span) => span.kind)).toEqual([
      'client',
      'client',
      'client',
      'internal',
      'internal',
      'server',
      'producer',
      'consumer',
    ]);
    expect(call.attributes).toEqual({
      'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': 812,
      'gen_ai.response.finish_reasons': ['stop'],
      'headroom.cost': 0.0031,
      'headroom.retried': true,
    });
  });
});

describe('decodeTraces on other senders', () => {
  it('accepts snake_case names, enum names, uppercase hex and base64 ids', () => {
    const body = Buffer.from(
      JSON.stringify({
        resource_spans: [
          {
            scope_spans: [
              {
                spans: [
                  {
                    trace_id: '5B8EFFF798038103D269B633813FC60C',
                    span_id: 'EEE19B7EC3C1B174',
                    parent_span_id: '',
                    name: 'GET /',
                    kind: 'SPAN_KIND_SERVER',
                    start_time_unix_nano: '1700000000123456789',
                    end_time_unix_nano: 1700000000200000000,
                    status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                  },
                  {
                    traceId: 'W47/95gDgQPSabYzgT/GDA==',
                    spanId: '7uGbfsPBsXQ=',
                    parentSpanId: 'eee19b7ec3c1b174',
                    name: 'child',
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(decodeTraces(body, 'application/json').resourceSpans[0]!.scopes[0]!.spans).toEqual([
      {
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        name: 'GET /',
        kind: 'server',
        startTime: 1700000000123,
        endTime: 1700000000200,
        attributes: {},
        status: { code: 'error', message: 'boom' },
      },
      {
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        parentSpanId: 'eee19b7ec3c1b174',
        name: 'child',
        kind: 'unspecified',
        startTime: 0,
        endTime: 0,
        attributes: {},
        status: { code: 'unset' },
      },
    ]);
  });

  it('skips fields it does not keep (events, links, trace state, flags)', () => {
    const body = tracesRequest(
      bytesField(1, new Uint8Array(16).fill(1)),
      bytesField(2, new Uint8Array(8).fill(2)),
      bytesField(3, 'vendor=1'),
      bytesField(11, message(fixed64Field(1, 0), bytesField(2, 'event'))),
      bytesField(13, bytesField(1, new Uint8Array(16))),
      varintField(12, 4),
      message(Uint8Array.of(0x85, 0x01), Uint8Array.of(1, 3, 0, 0)), // flags: field 16, fixed32
      bytesField(5, 'span'),
    );
    expect(decodeTraces(body, 'application/x-protobuf').resourceSpans[0]!.scopes[0]!.spans).toEqual(
      [
        {
          traceId: '01'.repeat(16),
          spanId: '02'.repeat(8),
          name: 'span',
          kind: 'unspecified',
          startTime: 0,
          endTime: 0,
          attributes: {},
          status: { code: 'unset' },
        },
      ],
    );
  });
});
