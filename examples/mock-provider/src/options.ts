/** Per-key ceilings. A missing (or null) dimension is unlimited. */
export interface RateLimits {
  /** Requests per minute; also at most ceil(rpm / 60) requests in any one clock second. */
  rpm?: number | null;
  /** Tokens (input + output) per minute; also at most ceil(tpm / 60) in any one clock second. */
  tpm?: number | null;
  /**
   * Input tokens per minute, as Anthropic limits them apart from output (ITPM); also at most
   * ceil(itpm / 60) in any one clock second.
   */
  itpm?: number | null;
  /** Output tokens per minute (Anthropic's OTPM); also at most ceil(otpm / 60) a clock second. */
  otpm?: number | null;
  /** Requests in flight at once. */
  concurrency?: number | null;
}

/** A key's own limits, or its place in an organization whose budget it shares with other keys. */
export interface KeyOptions extends RateLimits {
  /**
   * Name in `organizations`: the key is then limited by that organization's budget, summed over
   * all its keys, as OpenAI enforces limits per organization rather than per key. Such a key has
   * no limits of its own.
   */
  organization?: string;
  /** Sent as `openai-project`; the budget stays the organization's (project limits are not modelled). */
  project?: string;
  /**
   * `false`: no rate-limit headers and no `retry-after` on this key's answers, as providers such
   * as Gemini send none; its 429s are the only sign of its limits. Default true.
   */
  headers?: boolean;
}

/**
 * An Azure OpenAI deployment's quota, its own whatever the key (`api-key`) that calls it: RPM
 * and TPM held over windows of `windowSeconds` (rpm/60 a second, or rpm/6 each 10 s, as Azure
 * enforces them) as well as the minute.
 */
export interface DeploymentOptions extends RateLimits {
  /** 1 or 10 (default 10): the window Azure holds a share of the minute's quota over. */
  windowSeconds?: 1 | 10;
}

export interface LatencyOptions {
  /** Added to every admitted request. */
  fixedMs?: number;
  /** Uniform extra delay in [0, jitterMs), drawn from the seeded generator. */
  jitterMs?: number;
}

export interface MockProviderOptions {
  /** Limits per API key. A listed key gets exactly these limits, not merged with `defaultLimits`. */
  keys?: Record<string, KeyOptions>;
  /** Budgets shared by every key whose `organization` names them, e.g. `{ 'org-demo': { rpm: 60 } }`. */
  organizations?: Record<string, RateLimits>;
  /** Limits of every key not listed in `keys`. */
  defaultLimits?: RateLimits;
  /**
   * Azure OpenAI deployments, served at `/openai/deployments/<name>/chat/completions`, e.g.
   * `{ 'gpt-4o': { rpm: 600, tpm: 60_000, windowSeconds: 10 } }`. Any key may call them.
   */
  deployments?: Record<string, DeploymentOptions>;
  latency?: LatencyOptions;
  /** Seed of the generator behind latency jitter, so runs are reproducible. */
  seed?: number;
  /** Clock in milliseconds, injectable so tests can move rate-limit windows without sleeping. */
  now?: () => number;
}

export interface StartMockProviderOptions extends MockProviderOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  keys: ReadonlyMap<string, ResolvedLimits>;
  organizations: ReadonlyMap<string, ResolvedLimits>;
  /** Which organization (and project) each key belongs to; keys not listed here stand alone. */
  accounts: ReadonlyMap<string, Account>;
  /** Keys whose answers carry no rate-limit or retry headers (`headers: false`). */
  silent: ReadonlySet<string>;
  defaultLimits: ResolvedLimits;
  deployments: ReadonlyMap<string, ResolvedLimits>;
  latency: Required<LatencyOptions>;
  seed: number;
  now: () => number;
}

export interface ResolvedLimits {
  rpm?: number;
  tpm?: number;
  itpm?: number;
  otpm?: number;
  concurrency?: number;
  /** The window a share of the minute's quota is held over: 1000 ms (a clock second) or 10 000. */
  windowMs?: number;
}

/** Where a key's usage is charged, as OpenAI reports it in `openai-organization` / `openai-project`. */
export interface Account {
  organization: string;
  project?: string;
}
