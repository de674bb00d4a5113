import type { Refusal } from './limit-types.js';
import type { RequestProblem } from './parse-chat-request.js';

const ORGANIZATION = 'org-mock';
const LIMITS_PAGE =
  'For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage.';

function error(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

export function anthropicMissingKeyBody(): unknown {
  return error('authentication_error', 'x-api-key header is required');
}

export function anthropicBadRequestBody(problem: RequestProblem): unknown {
  if (problem.kind === 'invalid-json') {
    return error(
      'invalid_request_error',
      'There was an issue with your request body: it is not a valid JSON object.',
    );
  }
  if (problem.kind === 'missing')
    return error('invalid_request_error', `${problem.field}: Field required`);
  return error('invalid_request_error', `${problem.field}: Input should be ${problem.expected}`);
}

export function anthropicRateLimitBody(refusal: Refusal, model: string, message?: string): unknown {
  const budget = {
    requests: 'requests per minute',
    tokens: 'tokens per minute',
    input_tokens: 'input tokens per minute',
    output_tokens: 'output tokens per minute',
  }[refusal.kind];
  const organization = `your organization (${ORGANIZATION})`;
  const text =
    message ??
    {
      'per-minute': `This request would exceed the rate limit for ${organization} of ${refusal.limit} ${budget}. ${LIMITS_PAGE} Please try again later.`,
      'per-second': `This request would exceed the rate limit for ${organization} of ${refusal.limit} ${budget}, which also caps every second at a sixtieth of it. ${LIMITS_PAGE} Please try again later.`,
      concurrency: `Number of concurrent connections has exceeded your rate limit (${refusal.limit}). Please try again later.`,
      'too-large': `This request would exceed the rate limit for ${organization} of ${refusal.limit} ${budget} on its own: it needs ${refusal.requested} tokens for model ${model}. Please reduce the prompt length or the maximum tokens requested.`,
      scripted: `This request would exceed the rate limit for ${organization} on ${budget} (scripted by the mock provider). Please try again later.`,
    }[refusal.cause];
  return error('rate_limit_error', text);
}

const ERROR_TYPES: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'The requested resource could not be found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  500: ['api_error', 'Internal server error'],
  529: ['overloaded_error', 'Overloaded'],
};

export function anthropicErrorBody(status: number, message?: string): unknown {
  const [type, text] =
    ERROR_TYPES[status] ??
    (status >= 500
      ? ['api_error', 'Internal server error']
      : ['invalid_request_error', 'Invalid request.']);
  return error(type, message ?? text);
}
