import { randomUUID } from 'node:crypto';
import { describeValue, ID_EXPECTED, ID_PATTERN } from '@headroom/contract';
import { ConfigError } from './config-error.js';

/** The id a value is stored under: the one it is put under, else its own, else a new one. */
export function resolveId(own: string | undefined, putUnder: string | undefined): string {
  if (putUnder === undefined) return own ?? randomUUID();
  if (!ID_PATTERN.test(putUnder)) {
    throw new ConfigError(`Expected \`id\` to be ${ID_EXPECTED}, got ${describeValue(putUnder)}`);
  }
  if (own !== undefined && own !== putUnder) {
    throw new ConfigError(
      `Expected \`id\` to be ${describeValue(putUnder)}, the id it is put under, got ${describeValue(own)}`,
    );
  }
  return putUnder;
}
