import { ATTR_HEADROOM_KEY, ATTR_SERVER_ADDRESS, ATTR_SERVICE_NAME } from '@headroom/contract';
import type { Attributes } from '../otlp/types.js';

/** A key as apps that name none and offer nothing to tell them apart are shown. */
export const UNNAMED_KEY = 'default';

/**
 * The key a point belongs to. Headroom's SDK names it (`headroom.key`). Other senders (the
 * official GenAI instrumentations, a Python app) do not, so the first of `keyAttributes` that
 * the point or its resource carries names it (`--key-attribute`); failing that, the app and the
 * endpoint it calls, `service.name@server.address`, so two apps, or one app on two endpoints
 * (two Azure resources, a proxy and the provider), are two keys instead of one `default`.
 */
export function keyName(
  attributes: Attributes,
  resource: Attributes,
  keyAttributes: readonly string[],
): string {
  const named = attributes[ATTR_HEADROOM_KEY];
  if (typeof named === 'string' && named !== '') return named;
  for (const name of keyAttributes) {
    const value = attributes[name] ?? resource[name];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number')
      return String(value);
  }
  const service = resource[ATTR_SERVICE_NAME];
  const server = attributes[ATTR_SERVER_ADDRESS];
  const parts = [service, server].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return parts.length === 0 ? UNNAMED_KEY : parts.join('@');
}
