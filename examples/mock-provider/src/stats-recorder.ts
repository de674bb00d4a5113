export interface TokenTotals {
  input: number;
  output: number;
  total: number;
}

export interface ModelStats {
  /** admitted + rateLimited + errors (+ badRequests, on keys and totals). */
  requests: number;
  /** Requests served with 200 (streams included, even if the client hung up). */
  admitted: number;
  /** 429s sent, real and scripted. */
  rateLimited: number;
  /** Scripted non-429 error responses (500, 529, ...). */
  errors: number;
  /** Usage of admitted requests only; refused requests are never charged. */
  tokens: TokenTotals;
}

export interface KeyStats extends ModelStats {
  /** 400s for unreadable bodies; also part of `requests`, but of no model. */
  badRequests: number;
  /** When the first 429 was sent (ms, the mock's clock), so a test can tell what came first. */
  firstRateLimitedAt: number | null;
  active: number;
  peakConcurrency: number;
  models: Record<string, ModelStats>;
}

export interface MockProviderStats {
  keys: Record<string, KeyStats>;
  /** Sums over all keys; `peakConcurrency` and `active` count requests of every key together. */
  totals: KeyStats;
}

type Outcome = 'admitted' | 'rateLimited' | 'errors';

/** Ground truth of what the server sent, so tests can compare it with what a client observed. */
export class StatsRecorder {
  readonly #keys = new Map<string, KeyStats>();
  readonly #totals = emptyKeyStats();

  constructor(private readonly now: () => number = Date.now) {}

  badRequest(key: string): void {
    for (const stats of [this.#forKey(key), this.#totals]) {
      stats.requests += 1;
      stats.badRequests += 1;
    }
  }

  refused(key: string, model: string): void {
    this.#count(key, model, 'rateLimited');
    for (const stats of [this.#forKey(key), this.#totals]) stats.firstRateLimitedAt ??= this.now();
  }

  failed(key: string, model: string): void {
    this.#count(key, model, 'errors');
  }

  /** Records an admitted request as in flight; the returned function ends it (once). */
  admitted(key: string, model: string, usage: { input: number; output: number }): () => void {
    const touched = this.#count(key, model, 'admitted');
    for (const stats of touched) {
      stats.tokens.input += usage.input;
      stats.tokens.output += usage.output;
      stats.tokens.total += usage.input + usage.output;
    }
    const holders = [this.#forKey(key), this.#totals];
    for (const stats of holders) {
      stats.active += 1;
      stats.peakConcurrency = Math.max(stats.peakConcurrency, stats.active);
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      for (const stats of holders) stats.active -= 1;
    };
  }

  snapshot(): MockProviderStats {
    return structuredClone({ keys: Object.fromEntries(this.#keys), totals: this.#totals });
  }

  #count(key: string, model: string, outcome: Outcome): ModelStats[] {
    const keyStats = this.#forKey(key);
    const touched = [
      keyStats,
      this.#totals,
      modelEntry(keyStats.models, model),
      modelEntry(this.#totals.models, model),
    ];
    for (const stats of touched) {
      stats.requests += 1;
      stats[outcome] += 1;
    }
    return touched;
  }

  #forKey(key: string): KeyStats {
    let stats = this.#keys.get(key);
    if (stats === undefined) {
      stats = emptyKeyStats();
      this.#keys.set(key, stats);
    }
    return stats;
  }
}

/** Own-property lookup on a prototype-less record, so no model name can hit Object.prototype. */
function modelEntry(models: Record<string, ModelStats>, model: string): ModelStats {
  if (!Object.hasOwn(models, model)) models[model] = emptyModelStats();
  return models[model]!;
}

function emptyModelStats(): ModelStats {
  return {
    requests: 0,
    admitted: 0,
    rateLimited: 0,
    errors: 0,
    tokens: { input: 0, output: 0, total: 0 },
  };
}

function emptyKeyStats(): KeyStats {
  return {
    ...emptyModelStats(),
    badRequests: 0,
    firstRateLimitedAt: null,
    active: 0,
    peakConcurrency: 0,
    models: Object.create(null),
  };
}
