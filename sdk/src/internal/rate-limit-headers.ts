/** The rate-limit dimensions providers report, as `headroom.ratelimit.dimension` values. */
export type RateLimitDimension = 'requests' | 'tokens' | 'input_tokens' | 'output_tokens';

export interface RateLimitReading {
  dimension: RateLimitDimension;
  limit?: number;
  remaining?: number;
  /** Seconds until the window resets, when the provider said. */
  resetSeconds?: number;
}

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Whose budget a response was charged to: OpenAI enforces limits per organization and project,
 * not per key, and names both on every response. These are account identifiers, not secrets.
 */
export interface RateLimitAccount {
  organization?: string;
  project?: string;
}

/** Longer values are not identifiers; dropping them keeps a buggy proxy from bloating attributes. */
const MAX_ACCOUNT_LENGTH = 128;

/** `openai-organization` and `openai-project`, when the response has them. */
export function readAccountHeaders(headers: HeaderSource): RateLimitAccount {
  const account: RateLimitAccount = {};
  const organization = accountValue(headers.get('openai-organization'));
  if (organization !== undefined) account.organization = organization;
  const project = accountValue(headers.get('openai-project'));
  if (project !== undefined) account.project = project;
  return account;
}

function accountValue(text: string | null): string | undefined {
  const value = text?.trim();
  return value && value.length <= MAX_ACCOUNT_LENGTH ? value : undefined;
}

/**
 * Reads the rate-limit headers of a provider response:
 * - OpenAI and Azure OpenAI: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, resets as
 *   durations (`1s`, `6m0s`, `120ms`); Azure sends only the `remaining` ones.
 * - Anthropic: `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
 *   resets as RFC 3339 timestamps.
 * Called at export time on the last response of a series, never on the request path.
 */
export function readRateLimitHeaders(headers: HeaderSource, now = Date.now()): RateLimitReading[] {
  const readings: RateLimitReading[] = [];
  for (const dimension of ['requests', 'tokens'] as const) {
    const reading = reading3(
      dimension,
      headers.get(`x-ratelimit-limit-${dimension}`),
      headers.get(`x-ratelimit-remaining-${dimension}`),
      parseDuration(headers.get(`x-ratelimit-reset-${dimension}`)),
    );
    if (reading) readings.push(reading);
  }
  if (readings.length > 0) return readings;
  for (const dimension of ['requests', 'tokens', 'input_tokens', 'output_tokens'] as const) {
    const prefix = `anthropic-ratelimit-${dimension.replace('_', '-')}`;
    const reset = headers.get(`${prefix}-reset`);
    const resetAt = reset === null ? Number.NaN : Date.parse(reset);
    const reading = reading3(
      dimension,
      headers.get(`${prefix}-limit`),
      headers.get(`${prefix}-remaining`),
      Number.isNaN(resetAt) ? undefined : Math.max(0, (resetAt - now) / 1000),
    );
    if (reading) readings.push(reading);
  }
  return readings;
}

function reading3(
  dimension: RateLimitDimension,
  limitText: string | null,
  remainingText: string | null,
  resetSeconds: number | undefined,
): RateLimitReading | undefined {
  const limit = parseCount(limitText);
  const remaining = parseCount(remainingText);
  if (limit === undefined && remaining === undefined) return undefined;
  const reading: RateLimitReading = { dimension };
  if (limit !== undefined) reading.limit = limit;
  if (remaining !== undefined) reading.remaining = remaining;
  if (resetSeconds !== undefined) reading.resetSeconds = resetSeconds;
  return reading;
}

function parseCount(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/** `6m0s` → 360, `1.5s` → 1.5, `120ms` → 0.12; a bare number is seconds. */
export function parseDuration(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  let seconds = 0;
  let matched = 0;
  for (const match of text.matchAll(DURATION_PART)) {
    seconds += Number(match[1]) * (UNIT_SECONDS[match[2]!] ?? 0);
    matched += match[0].length;
  }
  return matched === text.length ? seconds : undefined;
}
