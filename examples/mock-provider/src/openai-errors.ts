import { formatDuration } from './format-duration.js';
import type { Refusal } from './limit-types.js';
import type { RequestProblem } from './parse-chat-request.js';

/** Named in 429 messages for keys that belong to no configured organization. */
const ORGANIZATION = 'org-mock';
const LIMITS_PAGE = 'Visit https://platform.openai.com/account/rate-limits to learn more.';

function error(
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
) {
  return { error: { message, type, param, code } };
}

export function openaiMissingKeyBody(): unknown {
  return error(
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    'invalid_request_error',
  );
}

export function openaiBadRequestBody(problem: RequestProblem): unknown {
  if (problem.kind === 'invalid-json') {
    return error(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      'invalid_request_error',
    );
  }
  if (problem.kind === 'missing' && problem.field === 'model') {
    return error('you must provide a model parameter', 'invalid_request_error');
  }
  if (problem.kind === 'missing') {
    return error(
      `Missing required parameter: '${problem.field}'.`,
      'invalid_request_error',
      problem.field,
      'missing_required_parameter',
    );
  }
  return error(
    `Invalid '${problem.field}': expected ${problem.expected}.`,
    'invalid_request_error',
    problem.field,
    'invalid_value',
  );
}

/**
 * OpenAI's 429 wording, with `type` naming the exhausted budget (`requests` or `tokens`); a
 * scripted `code` (`insufficient_quota`) is its type and code both, as OpenAI sends them.
 */
export function openaiRateLimitBody(
  refusal: Refusal,
  model: string,
  message?: string,
  code?: string,
): unknown {
  return error(
    message ?? rateLimitMessage(refusal, model),
    code ?? refusal.kind,
    null,
    code ?? 'rate_limit_exceeded',
  );
}

function rateLimitMessage(refusal: Refusal, model: string): string {
  const budget = {
    requests: 'requests per min (RPM)',
    tokens: 'tokens per min (TPM)',
    input_tokens: 'input tokens per min (ITPM)',
    output_tokens: 'output tokens per min (OTPM)',
  }[refusal.kind];
  const where = `for ${model} in organization ${refusal.organization ?? ORGANIZATION}`;
  const retry = `Please try again in ${formatDuration(refusal.retryAfterMs)}. ${LIMITS_PAGE}`;
  switch (refusal.cause) {
    case 'too-large':
      return `Request too large ${where} on ${budget}: Limit ${refusal.limit}, Requested ${refusal.requested}. The input or output tokens must be reduced in order to run successfully. ${LIMITS_PAGE}`;
    case 'concurrency':
      return `Rate limit reached ${where} on concurrent requests: Limit ${refusal.limit}, Used ${refusal.used}, Requested 1. ${retry}`;
    case 'scripted':
      return `Rate limit reached ${where} on ${budget} (scripted by the mock provider). ${retry}`;
    default:
      // Per-second refusals read like per-minute ones, as on OpenAI: Used may be below Limit.
      return `Rate limit reached ${where} on ${budget}: Limit ${refusal.limit}, Used ${refusal.used}, Requested ${refusal.requested}. ${retry}`;
  }
}

export function openaiErrorBody(status: number, message?: string): unknown {
  if (status >= 500) {
    const text =
      status === 503 || status === 529
        ? 'The server is overloaded or not ready yet.'
        : 'The server had an error while processing your request. Sorry about that!';
    return error(message ?? text, 'server_error');
  }
  const text = `Request refused with status ${status} (scripted by the mock provider).`;
  const code = status === 401 ? 'invalid_api_key' : null;
  return error(message ?? text, 'invalid_request_error', null, code);
}
