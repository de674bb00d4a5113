/**
 * Attribute and instrument names: the telemetry contract between the SDK, which writes them, and
 * the collector, which reads them (docs/telemetry.md). The `gen_ai.*` names are the OpenTelemetry
 * GenAI semantic conventions (still "development" status, so they are not in the stable semconv
 * package and are kept here as constants, as the contrib instrumentations do). Never invent a
 * `gen_ai.*` name: everything Headroom adds is `headroom.*`.
 *
 * This module imports nothing, so the SDK's hot path loads no schema library: the SDK re-exports
 * exactly this module (`@headroom/contract/semconv`) as part of its public API.
 */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';

export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_HTTP_REQUEST_RESEND_COUNT = 'http.request.resend_count';

export const ATTR_HEADROOM_KEY = 'headroom.key';
export const ATTR_HEADROOM_TENANT = 'headroom.tenant';
export const ATTR_HEADROOM_GRAPH_NAME = 'headroom.graph.name';
export const ATTR_HEADROOM_GRAPH_NODE = 'headroom.graph.node';
export const ATTR_HEADROOM_GRAPH_STEP = 'headroom.graph.step';
export const ATTR_HEADROOM_GRAPH_RECURSION_LIMIT = 'headroom.graph.recursion_limit';
export const ATTR_HEADROOM_OUTCOME = 'headroom.outcome';
export const ATTR_HEADROOM_ATTEMPTS = 'headroom.attempts';
export const ATTR_HEADROOM_RATELIMIT_DIMENSION = 'headroom.ratelimit.dimension';
/**
 * On the ratelimit gauges: the organization and project the provider charged (OpenAI's
 * `openai-organization` / `openai-project` response headers). Limits are enforced per
 * organization and project, so keys that report the same ones share one budget. Account
 * identifiers, not secrets.
 */
export const ATTR_HEADROOM_RATELIMIT_ORGANIZATION = 'headroom.ratelimit.organization';
export const ATTR_HEADROOM_RATELIMIT_PROJECT = 'headroom.ratelimit.project';
/** Which layer retried: `client`, `framework` or `app` (see `METRIC_RETRIES`). */
export const ATTR_HEADROOM_RETRY_LAYER = 'headroom.retry.layer';

export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = 'gen_ai.client.operation.duration';
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = 'gen_ai.client.token.usage';

// The current experimental GenAI names, emitted with
// OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental (semantic-conventions-genai:
// client inference, token metrics, workflows).
export const METRIC_GEN_AI_CLIENT_INFERENCE_DURATION = 'gen_ai.client.inference.duration';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS =
  'gen_ai.client.inference.usage.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS =
  'gen_ai.client.inference.usage.output_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS =
  'gen_ai.client.inference.operation.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS =
  'gen_ai.client.inference.operation.output_tokens';
export const METRIC_GEN_AI_WORKFLOW_DURATION = 'gen_ai.workflow.duration';
export const ATTR_GEN_AI_TOKEN_MODALITY = 'gen_ai.token.modality';
export const ATTR_GEN_AI_WORKFLOW_NAME = 'gen_ai.workflow.name';
export const METRIC_CALLS_ACTIVE = 'headroom.calls.active';
export const METRIC_CALLS_ACTIVE_MAX = 'headroom.calls.active.max';
export const METRIC_KEY_CALLS_ACTIVE_MAX = 'headroom.key.calls.active.max';
export const METRIC_CALLS = 'headroom.calls';
export const METRIC_REQUESTS = 'headroom.requests';
export const METRIC_TOKENS = 'headroom.tokens';
/**
 * Retries seen, by `headroom.retry.layer`: `client`, an HTTP attempt resent by the client inside
 * one request (openai's and Anthropic's `maxRetries`, or the guard); `framework`, the client's
 * request made again inside one logical call (LangChain's `maxRetries`); `app`, a logical call the
 * app started again, identical to one that failed within the minute or that is still in flight
 * after a second or more (an app retry, or one that gave up waiting and left its attempt running).
 */
export const METRIC_RETRIES = 'headroom.retries';
export const METRIC_RATELIMIT_LIMIT = 'headroom.ratelimit.limit';
export const METRIC_RATELIMIT_REMAINING = 'headroom.ratelimit.remaining';
export const METRIC_NODE_EXECUTIONS = 'headroom.graph.node.executions';
export const METRIC_NODE_ACTIVE = 'headroom.graph.node.active';
export const METRIC_NODE_ACTIVE_MAX = 'headroom.graph.node.active.max';
export const METRIC_NODE_EXECUTIONS_PER_RUN = 'headroom.graph.node.executions_per_run';
export const METRIC_RUN_STEPS = 'headroom.graph.run.steps';
export const METRIC_GUARD_QUEUE_DEPTH = 'headroom.guard.queue.depth';
export const METRIC_GUARD_ADMITTED = 'headroom.guard.admitted';
export const METRIC_GUARD_DELAYED = 'headroom.guard.delayed';
export const METRIC_GUARD_REJECTED = 'headroom.guard.rejected';
export const METRIC_GUARD_WAIT = 'headroom.guard.wait';
/** Why the guard refused a call: `queue_full` or `timeout`. */
export const ATTR_HEADROOM_GUARD_REASON = 'headroom.guard.reason';

/** Bucket boundaries the GenAI metric conventions specify for these two histograms. */
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
] as const;
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
] as const;
/** Steps and executions per run: a loop shows up as a long tail, so the buckets are dense near 25. */
export const STEP_BUCKETS = [1, 2, 3, 5, 8, 10, 15, 20, 25, 30, 40, 50, 75, 100, 250] as const;

export type RetryLayer = 'client' | 'framework' | 'app';
/** In the order `CallSeries.retries` counts them. */
export const RETRY_LAYERS: readonly RetryLayer[] = ['client', 'framework', 'app'];

export type Outcome = 'ok' | 'rate_limited' | 'error';
export const OUTCOMES: readonly Outcome[] = ['ok', 'rate_limited', 'error'];
