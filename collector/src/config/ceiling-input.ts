import * as z from 'zod';
import type { Ceiling } from '../storage/types.js';
import { ConfigError } from './config-error.js';
import { ID_EXPECTED, idSchema, UPDATED_AT_EXPECTED, updatedAtSchema } from './fields.js';
import type { ParseOptions } from './parse-options.js';
import { resolveId } from './resolve-id.js';
import { type InputDescription, toConfigError } from './to-config-error.js';

const MATCHER_EXPECTED = 'a string of 1 to 200 characters (`*` for any)';
const matcherSchema = z.string().min(1).max(200);
// Range before `int()`: zod reports the first failed check, and 2e9 should read "at most 1e9".
const limitSchema = z.number().positive().max(1e9).int().optional();

const ceilingSchema = z.strictObject({
  id: idSchema.optional(),
  key: matcherSchema,
  provider: matcherSchema,
  model: matcherSchema,
  rpm: limitSchema,
  tpm: limitSchema,
  concurrency: limitSchema,
  note: z.string().max(1000).optional(),
  updatedAt: updatedAtSchema,
});

const description: InputDescription = {
  subject: 'a ceiling',
  expected: {
    id: ID_EXPECTED,
    key: MATCHER_EXPECTED,
    provider: MATCHER_EXPECTED,
    model: MATCHER_EXPECTED,
    rpm: 'a positive integer',
    tpm: 'a positive integer',
    concurrency: 'a positive integer',
    note: 'a string of at most 1000 characters',
    updatedAt: UPDATED_AT_EXPECTED,
  } satisfies Record<keyof z.infer<typeof ceilingSchema>, string>,
};

/** A ceiling from API or config-file input; throws `ConfigError` naming the first bad field. */
export function parseCeilingInput(value: unknown, options: ParseOptions): Ceiling {
  const result = ceilingSchema.safeParse(value);
  if (!result.success) throw toConfigError(result.error, value, description);
  const { id, key, provider, model, rpm, tpm, concurrency, note } = result.data;
  if (rpm === undefined && tpm === undefined && concurrency === undefined) {
    throw new ConfigError('Expected at least one of `rpm`, `tpm` or `concurrency`, got none');
  }
  return {
    id: resolveId(id, options.id),
    key,
    provider,
    model,
    ...(rpm !== undefined && { rpm }),
    ...(tpm !== undefined && { tpm }),
    ...(concurrency !== undefined && { concurrency }),
    ...(note !== undefined && { note }),
    updatedAt: options.now,
  };
}
