import * as z from 'zod/mini';
import type { InputDescription } from './describe-issue.js';
import { ID_EXPECTED, idSchema, UPDATED_AT_EXPECTED, updatedAtSchema } from './fields.js';

const MATCHER_EXPECTED = 'a string of 1 to 200 characters (`*` for any)';
const matcherSchema = z.string().check(z.minLength(1), z.maxLength(200));
// Range before `int()`: zod reports the first failed check, and 2e9 should read "at most 1e9".
const limitSchema = z.optional(z.number().check(z.positive(), z.maximum(1e9), z.int()));

/**
 * A ceiling as `POST /api/ceilings`, `PUT /api/ceilings/:id` and a config file's `ceilings:`
 * take it. A `*` in key, provider or model matches anything.
 */
export const ceilingInputSchema = z.strictObject({
  id: z.optional(idSchema),
  key: matcherSchema,
  provider: matcherSchema,
  model: matcherSchema,
  rpm: limitSchema,
  tpm: limitSchema,
  concurrency: limitSchema,
  /** Free text shown beside the ceiling. */
  note: z.optional(z.string().check(z.maxLength(1000))),
  updatedAt: updatedAtSchema,
});

export type CeilingInput = z.input<typeof ceilingInputSchema>;

/** A ceiling as the collector keeps it and the API answers with it. */
export interface Ceiling extends Omit<z.output<typeof ceilingInputSchema>, 'id' | 'updatedAt'> {
  id: string;
  updatedAt: number;
}

export const ceilingInputDescription: InputDescription = {
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
  } satisfies Record<keyof CeilingInput, string>,
};

/** The line refusing a ceiling that passed the schema but sets no limit; undefined if it sets one. */
export function ceilingLimitsProblem(
  input: Pick<CeilingInput, 'rpm' | 'tpm' | 'concurrency'>,
): string | undefined {
  if (input.rpm === undefined && input.tpm === undefined && input.concurrency === undefined)
    return 'Expected at least one of `rpm`, `tpm` or `concurrency`, got none';
  return undefined;
}
