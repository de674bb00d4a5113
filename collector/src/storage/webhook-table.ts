import type { Database } from 'better-sqlite3';
import type { Store } from './store.js';
import type { Webhook } from './types.js';

interface WebhookRow {
  id: string;
  url: string;
  severities: string;
  enabled: number;
  group_wait_seconds: number | null;
  repeat_interval_seconds: number | null;
  send_updates: number | null;
  send_resolved: number | null;
  updated_at: number;
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    severities: JSON.parse(row.severities),
    enabled: row.enabled === 1,
    ...(row.group_wait_seconds !== null && { groupWaitSeconds: row.group_wait_seconds }),
    ...(row.repeat_interval_seconds !== null && {
      repeatIntervalSeconds: row.repeat_interval_seconds,
    }),
    ...(row.send_updates !== null && { sendUpdates: row.send_updates === 1 }),
    ...(row.send_resolved !== null && { sendResolved: row.send_resolved === 1 }),
    updatedAt: row.updated_at,
  };
}

export function prepareWebhookTable(
  database: Database,
): Pick<Store, 'listWebhooks' | 'getWebhook' | 'putWebhook' | 'deleteWebhook'> {
  const list = database.prepare<[], WebhookRow>('SELECT * FROM webhooks ORDER BY rowid');
  const get = database.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?');
  const put = database.prepare<WebhookRow, WebhookRow>(`
    INSERT INTO webhooks (id, url, severities, enabled, group_wait_seconds,
      repeat_interval_seconds, send_updates, send_resolved, updated_at)
    VALUES (@id, @url, @severities, @enabled, @group_wait_seconds, @repeat_interval_seconds,
      @send_updates, @send_resolved, @updated_at)
    ON CONFLICT (id) DO UPDATE SET
      url = excluded.url, severities = excluded.severities, enabled = excluded.enabled,
      group_wait_seconds = excluded.group_wait_seconds,
      repeat_interval_seconds = excluded.repeat_interval_seconds,
      send_updates = excluded.send_updates, send_resolved = excluded.send_resolved,
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
        group_wait_seconds: webhook.groupWaitSeconds ?? null,
        repeat_interval_seconds: webhook.repeatIntervalSeconds ?? null,
        send_updates: flag(webhook.sendUpdates),
        send_resolved: flag(webhook.sendResolved),
        updated_at: webhook.updatedAt,
      });
      return toWebhook(row!);
    },
    deleteWebhook: (id) => remove.run(id).changes > 0,
  };
}

function flag(value: boolean | undefined): number | null {
  return value === undefined ? null : value ? 1 : 0;
}
