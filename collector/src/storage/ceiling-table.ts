import type { Database } from 'better-sqlite3';
import { CeilingConflictError } from './ceiling-conflict-error.js';
import type { Store } from './store.js';
import type { Ceiling } from './types.js';

interface CeilingRow {
  id: string;
  key: string;
  provider: string;
  model: string;
  rpm: number | null;
  tpm: number | null;
  concurrency: number | null;
  note: string | null;
  updated_at: number;
}

function toCeiling(row: CeilingRow): Ceiling {
  return {
    id: row.id,
    key: row.key,
    provider: row.provider,
    model: row.model,
    ...(row.rpm !== null && { rpm: row.rpm }),
    ...(row.tpm !== null && { tpm: row.tpm }),
    ...(row.concurrency !== null && { concurrency: row.concurrency }),
    ...(row.note !== null && { note: row.note }),
    updatedAt: row.updated_at,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function prepareCeilingTable(
  database: Database,
): Pick<Store, 'listCeilings' | 'getCeiling' | 'putCeiling' | 'deleteCeiling'> {
  const list = database.prepare<[], CeilingRow>('SELECT * FROM ceilings ORDER BY rowid');
  const get = database.prepare<[string], CeilingRow>('SELECT * FROM ceilings WHERE id = ?');
  const holder = database.prepare<[string, string, string], { id: string }>(
    'SELECT id FROM ceilings WHERE key = ? AND provider = ? AND model = ?',
  );
  // An upsert on id only: `INSERT OR REPLACE` would silently delete the other ceiling holding
  // the same key × provider × model, instead of reporting the conflict.
  const put = database.prepare<CeilingRow, CeilingRow>(`
    INSERT INTO ceilings (id, key, provider, model, rpm, tpm, concurrency, note, updated_at)
    VALUES (@id, @key, @provider, @model, @rpm, @tpm, @concurrency, @note, @updated_at)
    ON CONFLICT (id) DO UPDATE SET
      key = excluded.key, provider = excluded.provider, model = excluded.model,
      rpm = excluded.rpm, tpm = excluded.tpm, concurrency = excluded.concurrency,
      note = excluded.note, updated_at = excluded.updated_at
    RETURNING *`);
  const remove = database.prepare<[string]>('DELETE FROM ceilings WHERE id = ?');

  return {
    listCeilings: () => list.all().map(toCeiling),
    getCeiling(id) {
      const row = get.get(id);
      return row && toCeiling(row);
    },
    putCeiling(ceiling) {
      try {
        const row = put.get({
          id: ceiling.id,
          key: ceiling.key,
          provider: ceiling.provider,
          model: ceiling.model,
          rpm: ceiling.rpm ?? null,
          tpm: ceiling.tpm ?? null,
          concurrency: ceiling.concurrency ?? null,
          note: ceiling.note ?? null,
          updated_at: ceiling.updatedAt,
        });
        return toCeiling(row!);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const existing = holder.get(ceiling.key, ceiling.provider, ceiling.model);
        if (!existing) throw error;
        const { id, key, provider, model } = ceiling;
        throw new CeilingConflictError(id, existing.id, key, provider, model);
      }
    },
    deleteCeiling: (id) => remove.run(id).changes > 0,
  };
}
