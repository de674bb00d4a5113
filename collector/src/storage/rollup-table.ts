import type { Database } from 'better-sqlite3';
import type { Store } from './store.js';
import type { Rollup } from './types.js';

interface RollupRow {
  minute: number;
  key: string;
  provider: string;
  model: string;
  requests: number;
  rate_limited: number;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  peak_active: number;
  replicas: number;
  peak_guard_waiting: number | null;
  peak_active_at_provider: number | null;
}

interface RollupFilter {
  from: number;
  to: number;
  key: string | null;
  provider: string | null;
  model: string | null;
}

function toRollup(row: RollupRow): Rollup {
  return {
    minute: row.minute,
    key: row.key,
    provider: row.provider,
    model: row.model,
    requests: row.requests,
    rateLimited: row.rate_limited,
    calls: row.calls,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    peakActive: row.peak_active,
    replicas: row.replicas,
    ...(row.peak_guard_waiting !== null && { peakGuardWaiting: row.peak_guard_waiting }),
    ...(row.peak_active_at_provider !== null && {
      peakActiveAtProvider: row.peak_active_at_provider,
    }),
  };
}

function toRow(rollup: Rollup): RollupRow {
  return {
    minute: rollup.minute,
    key: rollup.key,
    provider: rollup.provider,
    model: rollup.model,
    requests: rollup.requests,
    rate_limited: rollup.rateLimited,
    calls: rollup.calls,
    input_tokens: rollup.inputTokens,
    output_tokens: rollup.outputTokens,
    peak_active: rollup.peakActive,
    replicas: rollup.replicas,
    peak_guard_waiting: rollup.peakGuardWaiting ?? null,
    peak_active_at_provider: rollup.peakActiveAtProvider ?? null,
  };
}

export function prepareRollupTable(
  database: Database,
): Pick<Store, 'addRollups' | 'queryRollups' | 'pruneRollups'> {
  const upsert = database.prepare<RollupRow>(`
    INSERT INTO rollups (minute, key, provider, model, requests, rate_limited, calls,
      input_tokens, output_tokens, peak_active, replicas, peak_guard_waiting,
      peak_active_at_provider)
    VALUES (@minute, @key, @provider, @model, @requests, @rate_limited, @calls,
      @input_tokens, @output_tokens, @peak_active, @replicas, @peak_guard_waiting,
      @peak_active_at_provider)
    ON CONFLICT (minute, key, provider, model) DO UPDATE SET
      requests = excluded.requests, rate_limited = excluded.rate_limited, calls = excluded.calls,
      input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
      peak_active = excluded.peak_active, replicas = excluded.replicas,
      peak_guard_waiting = excluded.peak_guard_waiting,
      peak_active_at_provider = excluded.peak_active_at_provider`);
  const query = database.prepare<RollupFilter, RollupRow>(`
    SELECT * FROM rollups
    WHERE minute >= @from AND minute < @to
      AND (@key IS NULL OR key = @key)
      AND (@provider IS NULL OR provider = @provider)
      AND (@model IS NULL OR model = @model)
    ORDER BY minute, key, provider, model`);
  const prune = database.prepare<[number]>('DELETE FROM rollups WHERE minute < ?');
  // One transaction (one WAL sync) per minute's batch instead of one per row.
  const addAll = database.transaction((rows: readonly Rollup[]) => {
    for (const rollup of rows) upsert.run(toRow(rollup));
  });

  return {
    addRollups(rows) {
      addAll(rows);
    },
    queryRollups: ({ from, to, key, provider, model }) =>
      query
        .all({ from, to, key: key ?? null, provider: provider ?? null, model: model ?? null })
        .map(toRollup),
    pruneRollups: (olderThan) => prune.run(olderThan).changes,
  };
}
