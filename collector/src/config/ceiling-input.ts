import {
  type Ceiling,
  ceilingInputDescription,
  ceilingInputSchema,
  ceilingLimitsProblem,
} from '@headroom/contract';
import { ConfigError } from './config-error.js';
import type { ParseOptions } from './parse-options.js';
import { resolveId } from './resolve-id.js';
import { toConfigError } from './to-config-error.js';

/** A ceiling from API or config-file input; throws `ConfigError` naming the first bad field. */
export function parseCeilingInput(value: unknown, options: ParseOptions): Ceiling {
  const result = ceilingInputSchema.safeParse(value);
  if (!result.success) throw toConfigError(result.error, value, ceilingInputDescription);
  const { id, key, provider, model, rpm, tpm, concurrency, note } = result.data;
  const noLimit = ceilingLimitsProblem(result.data);
  if (noLimit !== undefined) throw new ConfigError(noLimit);
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
