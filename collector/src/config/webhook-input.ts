import * as z from 'zod';
import { MASK, maskWebhookUrl } from '../alerts/webhooks/mask-webhook-url.js';
import { hostRefusal } from '../alerts/webhooks/webhook-target.js';
import type { Webhook } from '../storage/types.js';
import { ConfigError } from './config-error.js';
import { LONGEST_SHOWN } from './describe-value.js';
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
  url: z.string().max(2000).refine(isHttpUrl).optional(),
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

export interface WebhookParseOptions extends ParseOptions {
  /** Opens loopback, private and carrier-grade NAT targets (`--allow-private-webhooks`). */
  allowPrivateWebhooks?: boolean;
  /**
   * The URL stored under the id (`PUT /api/webhooks/:id`): kept when the input has no `url`, or
   * has it as the API shows it, masked, so a client can change the rest without the secret.
   */
  storedUrl?: string;
}

/**
 * A webhook from API or config-file input; throws `ConfigError` naming the first bad field, or
 * the class of address a URL may not target. Messages show a URL masked: its path is the secret.
 */
export function parseWebhookInput(value: unknown, options: WebhookParseOptions): Webhook {
  const result = webhookSchema.safeParse(value);
  if (!result.success) throw toConfigError(result.error, withMaskedUrl(value), description);
  const { id, severities = [], enabled = true } = result.data;
  const { storedUrl } = options;
  const url =
    result.data.url === undefined ||
    (storedUrl !== undefined && result.data.url === maskWebhookUrl(storedUrl))
      ? storedUrl
      : result.data.url;
  if (url === undefined)
    throw new ConfigError(`Missing \`url\`: expected ${description.expected.url}`);
  const parsed = new URL(url);
  if (url !== storedUrl && parsed.pathname === encodeURI(MASK)) {
    throw new ConfigError(
      `url: ${maskWebhookUrl(url)} is a masked URL, as the API shows it; send the whole URL, or leave \`url\` out to keep the stored one`,
    );
  }
  const refused = hostRefusal(parsed.hostname, { allowPrivate: options.allowPrivateWebhooks });
  if (refused !== undefined) throw new ConfigError(`url: ${refused}`);
  return {
    id: resolveId(id, options.id),
    url,
    // A severity listed twice means the same as once.
    severities: [...new Set(severities)],
    enabled,
    updatedAt: options.now,
  };
}

/** The input with a string `url` masked, for error messages; a long one is shown by its length. */
function withMaskedUrl(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !('url' in value)) return value;
  const { url } = value as { url: unknown };
  if (typeof url !== 'string' || url.length > LONGEST_SHOWN) return value;
  return { ...value, url: maskWebhookUrl(url) };
}
