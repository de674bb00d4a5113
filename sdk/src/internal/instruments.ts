import * as semconv from '../semconv.js';
import * as experimental from './conventions.js';

export interface InstrumentDescription {
  unit: string;
  description: string;
}

/** Units and descriptions of every instrument, shared by the observable and the produced ones. */
export const INSTRUMENTS: Record<string, InstrumentDescription> = {
  [semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION]: {
    unit: 's',
    description: 'GenAI operation duration',
  },
  [semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE]: {
    unit: '{token}',
    description: 'Measures number of input and output tokens used',
  },
  [experimental.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION]: {
    unit: 's',
    description: 'GenAI inference operation duration',
  },
  [experimental.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS]: {
    unit: '{token}',
    description: 'The number of input (prompt) tokens used, including cached tokens',
  },
  [experimental.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS]: {
    unit: '{token}',
    description: 'The number of output (completion) tokens used, including reasoning tokens',
  },
  [experimental.METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS]: {
    unit: '{token}',
    description: 'Input tokens per inference operation',
  },
  [experimental.METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS]: {
    unit: '{token}',
    description: 'Output tokens per inference operation',
  },
  [experimental.METRIC_GEN_AI_WORKFLOW_DURATION]: {
    unit: 's',
    description: 'Duration of a GenAI workflow (one graph run)',
  },
  [semconv.METRIC_CALLS_ACTIVE]: { unit: '{call}', description: 'Logical model calls in flight' },
  [semconv.METRIC_CALLS_ACTIVE_MAX]: {
    unit: '{call}',
    description: 'Most logical model calls in flight at once since the previous export',
  },
  [semconv.METRIC_KEY_CALLS_ACTIVE_MAX]: {
    unit: '{call}',
    description:
      'Most logical model calls in flight at once on a provider × model × key since the previous export, whatever node or tenant made them',
  },
  [semconv.METRIC_CALLS]: { unit: '{call}', description: 'Logical model calls ended, by outcome' },
  [semconv.METRIC_REQUESTS]: {
    unit: '{request}',
    description: 'HTTP attempts sent to the provider, retries included, by outcome',
  },
  [semconv.METRIC_TOKENS]: { unit: '{token}', description: 'Tokens consumed, by token type' },
  [semconv.METRIC_RETRIES]: {
    unit: '{retry}',
    description:
      'Retries seen, by `headroom.retry.layer`: the client resending, a framework asking the client again, the app repeating a call',
  },
  [semconv.METRIC_RATELIMIT_LIMIT]: {
    unit: '1',
    description:
      'Last rate limit the provider reported; requests or tokens per `headroom.ratelimit.dimension`',
  },
  [semconv.METRIC_RATELIMIT_REMAINING]: {
    unit: '1',
    description:
      'Last remaining quota the provider reported; requests or tokens per `headroom.ratelimit.dimension`',
  },
  [semconv.METRIC_NODE_EXECUTIONS]: { unit: '{execution}', description: 'Graph node runs' },
  [semconv.METRIC_NODE_ACTIVE]: { unit: '{execution}', description: 'Graph nodes running now' },
  [semconv.METRIC_NODE_ACTIVE_MAX]: {
    unit: '{execution}',
    description: 'Most executions of a node running at once since the previous export',
  },
  [semconv.METRIC_NODE_EXECUTIONS_PER_RUN]: {
    unit: '{execution}',
    description: 'Executions of a node in one graph run',
  },
  [semconv.METRIC_RUN_STEPS]: { unit: '{step}', description: 'Supersteps per graph run' },
  [semconv.METRIC_GUARD_QUEUE_DEPTH]: {
    unit: '{call}',
    description: 'Calls waiting in the guard for their turn on a provider × model × key',
  },
  [semconv.METRIC_GUARD_ADMITTED]: {
    unit: '{request}',
    description: 'HTTP attempts the guard let go, at once or after a wait',
  },
  [semconv.METRIC_GUARD_DELAYED]: {
    unit: '{request}',
    description: 'HTTP attempts the guard let go after a wait',
  },
  [semconv.METRIC_GUARD_REJECTED]: {
    unit: '{call}',
    description: 'Calls the guard refused without sending, by `headroom.guard.reason`',
  },
  [semconv.METRIC_GUARD_WAIT]: {
    unit: 's',
    description: 'Time an HTTP attempt waited in the guard before it went',
  },
};

/** Bucket boundaries per histogram. */
export const BOUNDARIES: Record<string, readonly number[]> = {
  [semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION]: semconv.DURATION_BUCKETS,
  [semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE]: semconv.TOKEN_BUCKETS,
  [semconv.METRIC_NODE_EXECUTIONS_PER_RUN]: semconv.STEP_BUCKETS,
  [semconv.METRIC_RUN_STEPS]: semconv.STEP_BUCKETS,
  [semconv.METRIC_GUARD_WAIT]: semconv.DURATION_BUCKETS,
  [experimental.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION]: semconv.DURATION_BUCKETS,
  [experimental.METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS]: semconv.TOKEN_BUCKETS,
  [experimental.METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS]: semconv.TOKEN_BUCKETS,
  [experimental.METRIC_GEN_AI_WORKFLOW_DURATION]: semconv.DURATION_BUCKETS,
};
