import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import * as semconv from '../semconv.js';
import type { GenAiConventions } from './conventions.js';
import * as experimental from './conventions.js';
import type {
  AttemptEnd,
  AttemptRecord,
  CallEnd,
  CallRecord,
  Lifecycle,
  NodeRecord,
  RunRecord,
} from './lifecycle.js';
import { errorName, markFailed } from './mark-failed.js';

/**
 * The OpenTelemetry adapter of the lifecycle: a CLIENT span per logical call with a CLIENT child
 * per HTTP attempt once the call needs more than one (or its only attempt failed), an INTERNAL span per graph node execution and per graph run. Spans come from
 * the tracer of the providers Headroom is bound to (the app's, or the ones `init` built), so the
 * provider's sampler, span limits, processors and resource apply to them like to any other span.
 * A span the sampler dropped is not recording: nothing more is built for it.
 */
export class SpanLifecycle implements Lifecycle {
  constructor(
    /** Replaced when the instrumentation is handed another tracer provider. */
    public tracer: Tracer,
    readonly captureContent: boolean,
    readonly conventions: GenAiConventions,
  ) {}

  callStart(call: CallRecord, parent: Context): Context {
    const attributes = call.attributes;
    const span = this.tracer.startSpan(
      `${attributes[semconv.ATTR_GEN_AI_OPERATION_NAME]} ${attributes[semconv.ATTR_GEN_AI_REQUEST_MODEL]}`,
      { kind: SpanKind.CLIENT, attributes },
      parent,
    );
    call.span = span;
    return trace.setSpan(parent, span);
  }

  callEnd(call: CallRecord, end: CallEnd): void {
    const span = call.span;
    if (!span.isRecording()) {
      span.end();
      return;
    }
    if (end.error !== undefined) markFailed(span, end.error);
    const result = call.result;
    // One object, set once: each setAttribute call validates and counts on its own.
    const attributes: Record<string, string | number | string[]> = {
      [semconv.ATTR_HEADROOM_OUTCOME]: end.outcome,
      [semconv.ATTR_HEADROOM_ATTEMPTS]: Math.max(1, call.attempts),
    };
    if (end.errorType !== '') attributes[semconv.ATTR_ERROR_TYPE] = end.errorType;
    if (result.inputTokens !== undefined)
      attributes[semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS] = result.inputTokens;
    if (result.outputTokens !== undefined)
      attributes[semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = result.outputTokens;
    if (result.responseModel !== undefined)
      attributes[semconv.ATTR_GEN_AI_RESPONSE_MODEL] = result.responseModel;
    if (result.responseId !== undefined)
      attributes[semconv.ATTR_GEN_AI_RESPONSE_ID] = result.responseId;
    if (result.finishReasons !== undefined)
      attributes[semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = result.finishReasons;
    if (result.outputMessages !== undefined && this.captureContent) {
      attributes[semconv.ATTR_GEN_AI_OUTPUT_MESSAGES] = safeJson(result.outputMessages);
    }
    span.setAttributes(attributes);
    span.end();
  }

  callAbandon(call: CallRecord): void {
    call.span.end();
  }

  attemptStart(attempt: AttemptRecord, parent: Context): void {
    // A call answered on its first attempt needs no span for it: the call span says it all
    // (`headroom.attempts` 1, no error). The first attempt's span is made only when it fails or a
    // retry follows, back-dated to when it started; every retry gets its span at once.
    if (attempt.resendCount === 0) {
      attempt.parent = parent;
      attempt.startedAt = performance.now();
      return;
    }
    attempt.span = this.#attemptSpan(attempt, parent, undefined);
  }

  attemptEnd(attempt: AttemptRecord, end: AttemptEnd): void {
    let span = attempt.span;
    // Performance-clock times, which the span converts on its own wall-clock anchor: the
    // back-dated span's duration is exact.
    let endTime: number | undefined;
    if (span === undefined) {
      if (end.outcome === 'ok') return;
      span = this.#attemptSpan(attempt, attempt.parent!, attempt.startedAt);
      endTime = performance.now();
    }
    if ('status' in end) {
      if (end.outcome === 'ok') {
        span.setAttribute(semconv.ATTR_HTTP_RESPONSE_STATUS_CODE, end.status);
      } else {
        span.setAttributes({
          [semconv.ATTR_HTTP_RESPONSE_STATUS_CODE]: end.status,
          [semconv.ATTR_ERROR_TYPE]: String(end.status),
        });
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    } else {
      markFailed(span, end.error, end.errorType);
    }
    span.end(endTime);
  }

  #attemptSpan(attempt: AttemptRecord, parent: Context, startTime: number | undefined): Span {
    const attributes: Record<string, string | number> = {
      [semconv.ATTR_HTTP_REQUEST_METHOD]: attempt.method,
    };
    const serverAddress = attempt.call.serverAddress;
    if (serverAddress !== undefined) attributes[semconv.ATTR_SERVER_ADDRESS] = serverAddress;
    if (attempt.resendCount > 0)
      attributes[semconv.ATTR_HTTP_REQUEST_RESEND_COUNT] = attempt.resendCount;
    return this.tracer.startSpan(
      attempt.method,
      { kind: SpanKind.CLIENT, attributes, startTime },
      parent,
    );
  }

  nodeStart(node: NodeRecord, parent: Context): Context {
    const attributes: Record<string, string | number> = {
      [semconv.ATTR_HEADROOM_GRAPH_NAME]: node.graph,
      [semconv.ATTR_HEADROOM_GRAPH_NODE]: node.node,
    };
    if (node.step !== undefined) attributes[semconv.ATTR_HEADROOM_GRAPH_STEP] = node.step;
    node.span = this.tracer.startSpan(
      `node ${node.node}`,
      { kind: SpanKind.INTERNAL, attributes },
      parent,
    );
    return trace.setSpan(parent, node.span);
  }

  nodeEnd(node: NodeRecord, error: unknown): void {
    if (error !== undefined) markFailed(node.span, error, errorName(error));
    node.span.end();
  }

  runStart(run: RunRecord, parent: Context): Context {
    const graph = run.graph;
    // The released conventions call a graph run an agent invocation; the experimental ones have
    // workflows for it.
    const operation =
      this.conventions === 'latest_experimental' ? 'invoke_workflow' : 'invoke_agent';
    const attributes: Attributes = {
      [semconv.ATTR_GEN_AI_OPERATION_NAME]: operation,
      [this.conventions === 'latest_experimental'
        ? experimental.ATTR_GEN_AI_WORKFLOW_NAME
        : semconv.ATTR_GEN_AI_AGENT_NAME]: graph,
      [semconv.ATTR_HEADROOM_GRAPH_NAME]: graph,
    };
    run.span = this.tracer.startSpan(
      `${operation} ${graph}`,
      { kind: SpanKind.INTERNAL, attributes },
      parent,
    );
    return trace.setSpan(parent, run.span);
  }

  runEnd(run: RunRecord, steps: number, error: unknown): void {
    const span = run.span;
    span.setAttribute('headroom.graph.run.steps', steps);
    if (run.recursionLimit !== undefined) {
      span.setAttribute(semconv.ATTR_HEADROOM_GRAPH_RECURSION_LIMIT, run.recursionLimit);
    }
    if (error !== undefined) markFailed(span, error, errorName(error));
    span.end();
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserializable]';
  }
}
