import * as z from 'zod/mini';
import type { InputDescription } from './describe-issue.js';
import { LONGEST_SHOWN } from './describe-value.js';
import {
  ENABLED_EXPECTED,
  ID_EXPECTED,
  idSchema,
  SEVERITY_EXPECTED,
  type Severity,
  severitySchema,
  UPDATED_AT_EXPECTED,
  updatedAtSchema,
} from './fields.js';
import { MASK, maskWebhookUrl } from './mask-webhook-url.js';

export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:';
}

/**
 * A webhook as `POST /api/webhooks`, `PUT /api/webhooks/:id` and a config file's `webhooks:`
 * take it. `url` may be left out of a PUT (or sent masked, as the API shows it) to keep the
 * stored one.
 */
const MAX_REPEAT_INTERVAL_SECONDS = 7 * 24 * 3600;

/**
 * How a webhook is told of incidents, the way Alertmanager groups: the first message once an
 * incident has been open `groupWaitSeconds` (what happened meanwhile is in it), one when its
 * severity rises or its cause changes (`sendUpdates`), a reminder at most every
 * `repeatIntervalSeconds` while nothing else was sent, and one when it resolves (`sendResolved`).
 */
export const WEBHOOK_DEFAULTS = {
  groupWaitSeconds: 10,
  repeatIntervalSeconds: 4 * 3600,
  sendUpdates: true,
  sendResolved: true,
} as const;

export const webhookInputSchema = z.strictObject({
  id: z.optional(idSchema),
  url: z.optional(z.string().check(z.maxLength(2000), z.refine(isHttpUrl))),
  /** Only alerts of these severities are sent; empty: all. */
  severities: z.optional(z.array(severitySchema)),
  enabled: z.optional(z.boolean()),
  groupWaitSeconds: z.optional(z.number().check(z.minimum(0), z.maximum(3600), z.int())),
  repeatIntervalSeconds: z.optional(
    z.number().check(z.minimum(60), z.maximum(MAX_REPEAT_INTERVAL_SECONDS), z.int()),
  ),
  sendUpdates: z.optional(z.boolean()),
  sendResolved: z.optional(z.boolean()),
  updatedAt: updatedAtSchema,
});

export type WebhookInput = z.input<typeof webhookInputSchema>;

/** A webhook as the collector keeps it. */
export interface Webhook {
  id: string;
  /**
   * The API shows it masked, scheme and host only (`https://hooks.slack.com/…`, see
   * `maskWebhookUrl`): the path is the webhook's secret.
   */
  url: string;
  /** Only incidents of these severities are sent; empty: all. */
  severities: Severity[];
  enabled: boolean;
  /** Absent: `WEBHOOK_DEFAULTS`. */
  groupWaitSeconds?: number;
  repeatIntervalSeconds?: number;
  sendUpdates?: boolean;
  sendResolved?: boolean;
  updatedAt: number;
}

export const webhookInputDescription: InputDescription = {
  subject: 'a webhook',
  expected: {
    id: ID_EXPECTED,
    url: 'an http or https URL',
    severities: `a list of ${SEVERITY_EXPECTED} (empty for all)`,
    'severities[]': SEVERITY_EXPECTED,
    enabled: ENABLED_EXPECTED,
    groupWaitSeconds: 'an integer from 0 to 3600',
    repeatIntervalSeconds: `an integer from 60 to ${MAX_REPEAT_INTERVAL_SECONDS}`,
    sendUpdates: ENABLED_EXPECTED,
    sendResolved: ENABLED_EXPECTED,
    updatedAt: UPDATED_AT_EXPECTED,
  },
};

/** The line refusing a webhook with no URL to send to, given or stored. */
export const MISSING_WEBHOOK_URL = `Missing \`url\`: expected ${webhookInputDescription.expected.url}`;

/**
 * The line refusing an http(s) URL that is a masked one, as the API shows URLs, when it is not
 * the stored URL's own mask (which means "keep the stored one"); undefined for a real URL.
 */
export function maskedUrlProblem(url: string): string | undefined {
  if (new URL(url).pathname !== encodeURI(MASK)) return undefined;
  return `url: ${maskWebhookUrl(url)} is a masked URL, as the API shows it; send the whole URL, or leave \`url\` out to keep the stored one`;
}

/** The input with a string `url` masked, for error messages; a long one is shown by its length. */
export function withMaskedUrl(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !('url' in value)) return value;
  const { url } = value as { url: unknown };
  if (typeof url !== 'string' || url.length > LONGEST_SHOWN) return value;
  return { ...value, url: maskWebhookUrl(url) };
}
