import { Agent, fetch } from 'undici';
import { pinnedLookup, type Resolve } from './pinned-lookup.js';
import { hostRefusal, type TargetOptions } from './webhook-target.js';
import { WebhookTargetError } from './webhook-target-error.js';

/** The one request a notifier makes; `globalThis.fetch` is one, and tests pass their own. */
export type WebhookFetch = (
  url: string,
  init: {
    method: 'POST';
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
    /** A redirect is answered, never followed: a 307 would re-send the POST to any host. */
    redirect: 'manual';
  },
) => Promise<{
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/**
 * `fetch` that will not reach an address a webhook may not target: an IP literal is checked
 * here (a socket does no lookup for one), a name in the connection's own `lookup`, so the
 * address checked is the address connected to.
 */
export function webhookFetch(options: TargetOptions & { resolve?: Resolve } = {}): WebhookFetch {
  const dispatcher = new Agent({ connect: { lookup: pinnedLookup(options) } });
  return async function webhookFetch(url, init) {
    const refused = hostRefusal(new URL(url).hostname, options);
    if (refused !== undefined) throw new WebhookTargetError(refused);
    return fetch(url, { ...init, dispatcher });
  };
}
