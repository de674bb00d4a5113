import {
  type Attributes,
  type AttributeValue,
  type Context,
  context,
  type Exception,
  type HrTime,
  isSpanContextValid,
  type Link,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  hrTime,
  hrTimeDuration,
  type InstrumentationScope,
  isAttributeValue,
  isTracingSuppressed,
  timeInputToHrTime,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';

/**
 * The tracer for Headroom's own spans in the pipeline Headroom builds. It makes the same spans
 * the SDK's tracer makes (parent-based, always-on sampling; W3C ids; `ReadableSpan`s handed to
 * the same span processors and exporters) with a fraction of the work per span. The SDK's
 * tracer samples, limits and validates for arbitrary callers; Headroom's spans are few, known
 * and well-formed, and two of them ride on every model call. The app's own spans still go
 * through the SDK's tracer provider, which shares these processors.
 */
export class LeanTracer implements Tracer {
  constructor(
    readonly processors: readonly SpanProcessor[],
    readonly resource: Resource,
    readonly scope: InstrumentationScope,
  ) {}

  startSpan(
    name: string,
    options: SpanOptions = {},
    parentContext: Context = context.active(),
  ): Span {
    if (isTracingSuppressed(parentContext)) return trace.wrapSpanContext(invalidChild());
    const parent = options.root ? undefined : trace.getSpanContext(parentContext);
    const hasParent = parent !== undefined && isSpanContextValid(parent);
    if (hasParent && (parent.traceFlags & TraceFlags.SAMPLED) === 0) {
      // Parent-based sampling: a child of an unsampled span is not recorded either.
      return trace.wrapSpanContext({
        traceId: parent.traceId,
        spanId: spanId(),
        traceFlags: TraceFlags.NONE,
      });
    }
    const spanContext: SpanContext = {
      traceId: hasParent ? parent.traceId : traceId(),
      spanId: spanId(),
      traceFlags: TraceFlags.SAMPLED,
    };
    if (hasParent && parent.traceState !== undefined) spanContext.traceState = parent.traceState;
    const span = new LeanSpan(
      this,
      name,
      options.kind ?? SpanKind.INTERNAL,
      spanContext,
      hasParent ? parent : undefined,
      options.startTime,
    );
    if (options.attributes) span.setAttributes(options.attributes);
    if (options.links) span.addLinks(options.links);
    for (const processor of this.processors) processor.onStart(span, parentContext);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...rest: unknown[]
  ): ReturnType<F> {
    const fn = rest.pop() as F;
    const [options, parentContext = context.active()] = rest as [
      SpanOptions | undefined,
      Context | undefined,
    ];
    const span = this.startSpan(name, options, parentContext);
    return context.with(trace.setSpan(parentContext, span), () => fn(span)) as ReturnType<F>;
  }
}

class LeanSpan implements Span, ReadableSpan {
  readonly attributes: Attributes = {};
  readonly links: Link[] = [];
  readonly events: TimedEvent[] = [];
  readonly startTime: HrTime;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  endTime: HrTime = [0, 0];
  duration: HrTime = [-1, -1];
  ended = false;
  readonly droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;

  constructor(
    private readonly tracer: LeanTracer,
    public name: string,
    readonly kind: SpanKind,
    readonly context: SpanContext,
    readonly parentSpanContext: SpanContext | undefined,
    startTime: TimeInput | undefined,
  ) {
    this.startTime = startTime === undefined ? hrTime() : timeInputToHrTime(startTime);
  }

  get resource(): Resource {
    return this.tracer.resource;
  }

  get instrumentationScope(): InstrumentationScope {
    return this.tracer.scope;
  }

  spanContext(): SpanContext {
    return this.context;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (this.ended || value == null || key === '' || !isAttributeValue(value)) return this;
    // Arrays are copied, as the SDK does, so a caller mutating its own array changes nothing here.
    this.attributes[key] = Array.isArray(value) ? value.slice() : value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    const isTime =
      typeof attributesOrTime === 'number' ||
      Array.isArray(attributesOrTime) ||
      attributesOrTime instanceof Date;
    const at = isTime ? (attributesOrTime as TimeInput) : time;
    this.events.push({
      name,
      attributes: isTime ? {} : ((attributesOrTime as Attributes | undefined) ?? {}),
      time: at === undefined ? hrTime() : timeInputToHrTime(at),
      droppedAttributesCount: 0,
    });
    return this;
  }

  addLink(link: Link): this {
    this.links.push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    this.links.push(...links);
    return this;
  }

  setStatus(status: SpanStatus): this {
    // As the SDK: UNSET changes nothing, and OK is final.
    if (
      this.ended ||
      status.code === SpanStatusCode.UNSET ||
      this.status.code === SpanStatusCode.OK
    )
      return this;
    this.status =
      status.message === undefined
        ? { code: status.code }
        : { code: status.code, message: status.message };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.ended = true;
    this.endTime = endTime === undefined ? hrTime() : timeInputToHrTime(endTime);
    this.duration = hrTimeDuration(this.startTime, this.endTime);
    for (const processor of this.tracer.processors) processor.onEnd(this);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else {
      if (exception.name ?? exception.code)
        attributes['exception.type'] = String(exception.name ?? exception.code);
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    this.addEvent('exception', attributes, time);
  }
}

/** Ids as the SDK makes them: random, lowercase hex, never all zeros. */
const ID_BYTES = Buffer.allocUnsafe(16);

function randomId(bytes: number): string {
  for (let index = 0; index < bytes; index += 4)
    ID_BYTES.writeUInt32BE((Math.random() * 2 ** 32) >>> 0, index);
  if (ID_BYTES.subarray(0, bytes).every((byte) => byte === 0)) ID_BYTES[bytes - 1] = 1;
  return ID_BYTES.toString('hex', 0, bytes);
}

function traceId(): string {
  return randomId(16);
}

function spanId(): string {
  return randomId(8);
}

function invalidChild(): SpanContext {
  return {
    traceId: '00000000000000000000000000000000',
    spanId: '0000000000000000',
    traceFlags: TraceFlags.NONE,
  };
}
