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

// The experimental names (semantic-conventions-genai, "client inference" and "workflow").
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
