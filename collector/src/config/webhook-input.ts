import {
  MISSING_WEBHOOK_URL,
  maskedUrlProblem,
  maskWebhookUrl,
  type Webhook,
  webhookInputDescription,
  webhookInputSchema,
  withMaskedUrl,
} from '@headroom/contract';
import { hostRefusal } from '../alerts/webhooks/webhook-target.js';
import { ConfigError } from './config-error.js';
import type { ParseOptions } from './parse-options.js';
import { resolveId } from './resolve-id.js';
import { toConfigError } from './to-config-error.js';

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
  const result = webhookInputSchema.safeParse(value);
  if (!result.success)
    throw toConfigError(result.error, withMaskedUrl(value), webhookInputDescription);
  const { id, severities = [], enabled = true } = result.data;
  const { groupWaitSeconds, repeatIntervalSeconds, sendUpdates, sendResolved } = result.data;
  const { storedUrl } = options;
  const url =
    result.data.url === undefined ||
    (storedUrl !== undefined && result.data.url === maskWebhookUrl(storedUrl))
      ? storedUrl
      : result.data.url;
  if (url === undefined) throw new ConfigError(MISSING_WEBHOOK_URL);
  if (url !== storedUrl) {
    const masked = maskedUrlProblem(url);
    if (masked !== undefined) throw new ConfigError(masked);
  }
  const refused = hostRefusal(new URL(url).hostname, {
    allowPrivate: options.allowPrivateWebhooks,
  });
  if (refused !== undefined) throw new ConfigError(`url: ${refused}`);
  return {
    id: resolveId(id, options.id),
    url,
    // A severity listed twice means the same as once.
    severities: [...new Set(severities)],
    enabled,
    ...(groupWaitSeconds !== undefined && { groupWaitSeconds }),
    ...(repeatIntervalSeconds !== undefined && { repeatIntervalSeconds }),
    ...(sendUpdates !== undefined && { sendUpdates }),
    ...(sendResolved !== undefined && { sendResolved }),
    updatedAt: options.now,
  };
}
