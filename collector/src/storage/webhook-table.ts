import type { Database } from 'better-sqlite3';
import type { Store } from './store.js';
import type { Webhook } from './types.js';

interface WebhookRow {
  id: string;
  url: string;
  severities: string;
  enabled: number;
  updated_at: number;
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    severities: JSON.parse(row.severities),
    enabled: row.enabled === 1,
    updatedAt: row.updated_at,
  };
}

export function prepareWebhookTable(
  database: Database,
): Pick<Store, 'listWebhooks' | 'getWebhook' | 'putWebhook' | 'deleteWebhook'> {
  const list = database.prepare<[], WebhookRow>('SELECT * FROM webhooks ORDER BY rowid');
  const get = database.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?');
  const put = database.prepare<WebhookRow, WebhookRow>(`
    INSERT INTO webhooks (id, url, severities, enabled, updated_at)
    VALUES (@id, @url, @severities, @enabled, @updated_at)
    ON CONFLICT (id) DO UPDATE SET
      url = excluded.url, severities = excluded.severities, enabled = excluded.enabled,
      updated_at = excluded.updated_at
    RETURNING *`);
  const remove = database.prepare<[string]>('DELETE FROM webhooks WHERE id = ?');

  return {
    listWebhooks: () => list.all().map(toWebhook),
    getWebhook(id) {
      const row = get.get(id);
      return row && toWebhook(row);
    },
    putWebhook(webhook) {
      const row = put.get({
        id: webhook.id,
        url: webhook.url,
        severities: JSON.stringify(webhook.severities),
        enabled: webhook.enabled ? 1 : 0,
        updated_at: webhook.updatedAt,
      });
      return toWebhook(row!);
    },
    deleteWebhook: (id) => remove.run(id).changes > 0,
  };
}
