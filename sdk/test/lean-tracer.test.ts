import {
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { suppressTracing } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeanTracer } from '../src/internal/lean-tracer.js';

const resource = resourceFromAttributes({ 'service.name': 'lean' });
const scope = { name: '@headroom/sdk', version: '0.1.0' };

function pair() {
  const sdkExporter = new InMemorySpanExporter();
  const leanExporter = new InMemorySpanExporter();
  const sdk = new BasicTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(sdkExporter)],
  }).getTracer(scope.name, scope.version);
  const lean = new LeanTracer([new SimpleSpanProcessor(leanExporter)], resource, scope);
  return {
    sdk,
    lean,
    sdkSpans: () => sdkExporter.getFinishedSpans(),
    leanSpans: () => leanExporter.getFinishedSpans(),
  };
}

/** What an exporter reads of a span, less what differs by nature (ids, clock readings). */
function shape(span: ReadableSpan) {
  return {
    name: span.name,
    kind: span.kind,
    attributes: span.attributes,
    status: span.status,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    links: span.links,
    ended: span.ended,
    hasParent: span.parentSpanContext !== undefined,
    traceFlags: span.spanContext().traceFlags,
    resource: span.resource.attributes,
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version },
    dropped: [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount],
  };
}

const manager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(manager.enable());
});
afterAll(() => {
  context.disable();
});

describe('LeanTracer', () => {
  const failure = new TypeError('fetch failed');
  const script = (tracer: ReturnType<typeof pair>['sdk']) => {
    const parent = tracer.startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: { 'gen_ai.request.model': 'gpt-4o-mini', reasons: ['stop'], skipped: undefined },
      startTime: 1_700_000_000_000,
    });
    const child = tracer.startSpan(
      'POST',
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST' } },
      trace.setSpan(context.active(), parent),
    );
    child.setAttribute('http.response.status_code', 429);
    child.setAttribute('', 'empty key is dropped');
    child.setAttribute('bad', { nested: true } as never);
    child.setStatus({ code: SpanStatusCode.ERROR });
    child.setStatus({ code: SpanStatusCode.UNSET });
    child.addEvent('retry', { attempt: 1 });
    child.recordException(failure);
    child.end();
    child.setAttribute('after.end', 1);
    parent.setStatus({ code: SpanStatusCode.OK });
    parent.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
    parent.updateName('chat gpt-4o');
    parent.end(1_700_000_000_500);
    parent.end();
    return [parent, child] as Span[];
  };

  it('exports the same spans as the SDK tracer for the same operations', () => {
    const tracers = pair();
    script(tracers.sdk);
    script(tracers.lean);
    expect(tracers.leanSpans().map(shape)).toEqual(tracers.sdkSpans().map(shape));
    expect(tracers.leanSpans()).toHaveLength(2);
  });

  it('keeps times and parentage exact', () => {
    const tracers = pair();
    const [parent, child] = script(tracers.lean) as [Span, Span];
    const [exportedChild, exportedParent] = tracers.leanSpans() as [ReadableSpan, ReadableSpan];
    expect(exportedParent.startTime).toEqual([1_700_000_000, 0]);
    expect(exportedParent.endTime).toEqual([1_700_000_000, 500_000_000]);
    expect(exportedParent.duration).toEqual([0, 500_000_000]);
    expect(exportedChild.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(exportedChild.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(child.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(child.spanContext().spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.spanContext().spanId).not.toBe(parent.spanContext().spanId);
    expect(child.isRecording()).toBe(false);
    expect(exportedChild.attributes.reasons).toBeUndefined();
  });

  it('copies array attributes, as the SDK does', () => {
    const { lean, leanSpans } = pair();
    const reasons = ['stop'];
    const span = lean.startSpan('s');
    span.setAttribute('reasons', reasons);
    reasons.push('length');
    span.end();
    expect(leanSpans()[0]!.attributes.reasons).toEqual(['stop']);
  });

  it('does not record under an unsampled parent or where tracing is suppressed', () => {
    const { lean, leanSpans } = pair();
    const unsampled = trace.setSpanContext(context.active(), {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: TraceFlags.NONE,
    });
    const child = lean.startSpan('child', {}, unsampled);
    expect(child.isRecording()).toBe(false);
    expect(child.spanContext().traceId).toBe('a'.repeat(32));
    child.end();
    const suppressed = lean.startSpan('export', {}, suppressTracing(context.active()));
    expect(suppressed.isRecording()).toBe(false);
    suppressed.end();
    expect(leanSpans()).toEqual([]);
  });

  it('startActiveSpan makes the span active for the callback', () => {
    const { lean } = pair();
    const seen = lean.startActiveSpan('active', (span: Span) => {
      const active = trace.getSpan(context.active());
      span.end();
      return active === span;
    });
    expect(seen).toBe(true);
  });
});
