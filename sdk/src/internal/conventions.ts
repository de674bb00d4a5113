/**
 * Which GenAI semantic conventions Headroom emits. The spec asks instrumentations to keep the
 * names they shipped with by default and to switch to the current experimental ones only when
 * `OTEL_SEMCONV_STABILITY_OPT_IN` lists `gen_ai_latest_experimental`. `headroom.*` names are the
 * same in both.
 */
export type GenAiConventions = 'released' | 'latest_experimental';

export const SEMCONV_OPT_IN = 'gen_ai_latest_experimental';

/** The conventions `OTEL_SEMCONV_STABILITY_OPT_IN` (a comma-separated list) asks for. */
export function conventionsFromEnv(
  value: string | undefined = process.env.OTEL_SEMCONV_STABILITY_OPT_IN,
): GenAiConventions {
  const wanted = (value ?? '').split(',').map((entry) => entry.trim().toLowerCase());
  return wanted.includes(SEMCONV_OPT_IN) ? 'latest_experimental' : 'released';
}

export {
  ATTR_GEN_AI_TOKEN_MODALITY,
  ATTR_GEN_AI_WORKFLOW_NAME,
  METRIC_GEN_AI_CLIENT_INFERENCE_DURATION,
  METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
  METRIC_GEN_AI_WORKFLOW_DURATION,
} from '../semconv.js';
