import * as z from 'zod/mini';

/** Ids appear in URLs (`/api/ceilings/:id`), so they keep to characters that need no escaping. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
export const ID_EXPECTED =
  "1 to 200 letters, digits, '.', '_' or '-', starting with a letter or digit";
export const idSchema = z.string().check(z.regex(ID_PATTERN));

export const TEXT_EXPECTED = 'a string of 1 to 200 characters';
export const textSchema = z.string().check(z.minLength(1), z.maxLength(200));

export const SEVERITY_EXPECTED = '`warning` or `critical`';
export const severitySchema = z.enum(['warning', 'critical']);
export type Severity = z.infer<typeof severitySchema>;

export const ENABLED_EXPECTED = 'true or false';

/** The server sets `updatedAt`; it is accepted and ignored so a fetched value can be put back. */
export const UPDATED_AT_EXPECTED = 'anything (the server sets it)';
export const updatedAtSchema = z.optional(z.unknown());
