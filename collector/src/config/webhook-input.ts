import * as z from 'zod';
import type { Webhook } from '../storage/types.js';
import {
  ENABLED_EXPECTED,
  ID_EXPECTED,
  idSchema,
  SEVERITY_EXPECTED,
  severitySchema,
  UPDATED_AT_EXPECTED,
  updatedAtSchema,
} from './fields.js';
import type { ParseOptions } from './parse-options.js';
import { resolveId } from './resolve-id.js';
import { type InputDescription, toConfigError } from './to-config-error.js';

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:';
}

const webhookSchema = z.strictObject({
  id: idSchema.optional(),
  url: z.string().max(2000).refine(isHttpUrl),
  severities: z.array(severitySchema).optional(),
  enabled: z.boolean().optional(),
  updatedAt: updatedAtSchema,
});

const description: InputDescription = {
  subject: 'a webhook',
  expected: {
    id: ID_EXPECTED,
    url: 'an http or https URL',
    severities: `a list of ${SEVERITY_EXPECTED} (empty for all)`,
    'severities[]': SEVERITY_EXPECTED,
    enabled: ENABLED_EXPECTED,
    updatedAt: UPDATED_AT_EXPECTED,
  },
};

/** A webhook from API or config-file input; throws `ConfigError` naming the first bad field. */
export function parseWebhookInput(value: unknown, options: ParseOptions): Webhook {
  const result = webhookSchema.safeParse(value);
  if (!result.success) throw toConfigError(result.error, value, description);
  const { id, url, severities = [], enabled = true } = result.data;
  return {
    id: resolveId(id, options.id),
    url,
    // A severity listed twice means the same as once.
    severities: [...new Set(severities)],
    enabled,
    updatedAt: options.now,
  };
}
