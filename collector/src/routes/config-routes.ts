import { maskWebhookUrl } from '@headroom/contract';
import { Hono } from 'hono';
import type { Collector } from '../collector.js';
import {
  ConfigError,
  parseCeilingInput,
  parseRuleInput,
  parseWebhookInput,
} from '../config/index.js';
import { httpError } from '../http-error.js';
import { CeilingConflictError, type Store } from '../storage/index.js';
import { crudRoutes } from './crud-routes.js';

/** `/api/ceilings`, `/api/rules`, `/api/webhooks`: CRUD over the collector's store. */
export function configRoutes(collector: Collector, store: Store): Hono {
  const app = new Hono();
  const now = () => Math.floor(collector.view.now());
  const changed = () => collector.reload();
  const parse =
    <T>(parser: (value: unknown, options: { id?: string; now: number }) => T) =>
    (input: unknown, id: string | undefined): T => {
      try {
        return parser(input, id === undefined ? { now: now() } : { id, now: now() });
      } catch (error) {
        if (error instanceof ConfigError) throw httpError(400, error.message);
        throw error;
      }
    };
  const conflicts =
    <T>(put: (value: T) => T) =>
    (value: T): T => {
      try {
        return put(value);
      } catch (error) {
        if (error instanceof CeilingConflictError) throw httpError(409, error.message);
        throw error;
      }
    };
  app.route(
    '/ceilings',
    crudRoutes({
      name: 'ceiling',
      list: () => store.listCeilings(),
      get: (id) => store.getCeiling(id),
      put: conflicts((value) => store.putCeiling(value)),
      delete: (id) => store.deleteCeiling(id),
      parse: parse(parseCeilingInput),
      changed,
    }),
  );
  app.route(
    '/rules',
    crudRoutes({
      name: 'rule',
      list: () => store.listRules(),
      get: (id) => store.getRule(id),
      put: (value) => store.putRule(value),
      delete: (id) => store.deleteRule(id),
      parse: parse(parseRuleInput),
      changed,
    }),
  );
  app.route(
    '/webhooks',
    crudRoutes({
      name: 'webhook',
      list: () => store.listWebhooks(),
      get: (id) => store.getWebhook(id),
      put: (value) => store.putWebhook(value),
      delete: (id) => store.deleteWebhook(id),
      parse: (input, id, stored) =>
        parse((value, options) =>
          parseWebhookInput(value, {
            ...options,
            allowPrivateWebhooks: collector.allowPrivateWebhooks,
            ...(stored === undefined ? {} : { storedUrl: stored.url }),
          }),
        )(input, id),
      // The URL's path is the webhook's secret: shown to no one, kept by a PUT without `url`.
      present: (webhook) => ({ ...webhook, url: maskWebhookUrl(webhook.url) }),
      changed,
    }),
  );
  return app;
}
