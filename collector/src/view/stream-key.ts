import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_HEADROOM_GRAPH_NAME,
  ATTR_HEADROOM_GRAPH_NODE,
  ATTR_HEADROOM_GRAPH_RECURSION_LIMIT,
  ATTR_HEADROOM_KEY,
  ATTR_HEADROOM_OUTCOME,
  ATTR_HEADROOM_RATELIMIT_DIMENSION,
  ATTR_HEADROOM_TENANT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  METRIC_CALLS,
  METRIC_GEN_AI_CLIENT_INFERENCE_DURATION,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_GUARD_ADMITTED,
  METRIC_GUARD_DELAYED,
  METRIC_GUARD_REJECTED,
  METRIC_GUARD_WAIT,
  METRIC_NODE_EXECUTIONS,
  METRIC_NODE_EXECUTIONS_PER_RUN,
  METRIC_REQUESTS,
  METRIC_RUN_STEPS,
  METRIC_TOKENS,
} from '@headroom/contract';
import type { Attributes } from '../otlp/types.js';

/**
 * The contract's names, which every stream id repeats: each is written as two characters in
 * ids (U+0002 and a letter), which makes a Headroom stream id about half as long. Counter
 * streams and per-replica levels are held per stream, so at 50,000 series this is most of the
 * view's memory in strings. U+0002 never occurs in a name the SDK or OpenTelemetry writes.
 */
const CONTRACT_NAMES = [
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_HEADROOM_KEY,
  ATTR_HEADROOM_TENANT,
  ATTR_HEADROOM_OUTCOME,
  ATTR_HEADROOM_GRAPH_NAME,
  ATTR_HEADROOM_GRAPH_NODE,
  ATTR_HEADROOM_GRAPH_RECURSION_LIMIT,
  ATTR_HEADROOM_RATELIMIT_DIMENSION,
  METRIC_REQUESTS,
  METRIC_CALLS,
  METRIC_TOKENS,
  METRIC_GUARD_ADMITTED,
  METRIC_GUARD_DELAYED,
  METRIC_GUARD_REJECTED,
  METRIC_GUARD_WAIT,
  METRIC_NODE_EXECUTIONS,
  METRIC_NODE_EXECUTIONS_PER_RUN,
  METRIC_RUN_STEPS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_GEN_AI_CLIENT_INFERENCE_DURATION,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
];
const SHORT_NAMES = new Map(
  CONTRACT_NAMES.map((name, index) => [name, `\u0002${String.fromCharCode(0x41 + index)}`]),
);

/** `name` as stream ids write it: two characters for the contract's names, else itself. */
export function shortName(name: string): string {
  return SHORT_NAMES.get(name) ?? name;
}

/** A stable identity for an attribute set, whatever order the sender wrote it in. */
export function streamKey(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length > 1) keys.sort();
  let id = '';
  for (const key of keys) {
    const value = attributes[key];
    id += `${shortName(key)}=${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}\u0001`;
  }
  return id;
}
