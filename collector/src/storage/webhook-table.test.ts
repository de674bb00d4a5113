import { describe, expect, it } from 'vitest';
import { useTemporaryDirectory } from './test-helpers.js';
import type { Webhook } from './types.js';

const slack: Webhook = {
  id: 'slack',
  url: 'https://hooks.slack.com/services/T/B/X',
  severities: ['critical'],
  enabled: true,
  updatedAt: 1_700_000_000_000,
};
const everything: Webhook = {
  id: 'all',
  url: 'http://localhost:9000/alerts?team=llm',
  severities: [],
  enabled: false,
  updatedAt: 7,
};

describe('webhooks', () => {
  const temporary = useTemporaryDirectory();

  it('round-trips every field exactly', () => {
    const store = temporary.open();
    expect(store.putWebhook(slack)).toStrictEqual(slack);
    expect(store.putWebhook(everything)).toStrictEqual(everything);
    expect(store.getWebhook('slack')).toStrictEqual(slack);
    expect(store.listWebhooks()).toStrictEqual([slack, everything]);
  });

  it('replaces by id', () => {
    const store = temporary.open();
    store.putWebhook(slack);
    const replaced: Webhook = { ...slack, severities: ['warning', 'critical'], updatedAt: 9 };
    expect(store.putWebhook(replaced)).toStrictEqual(replaced);
    expect(store.listWebhooks()).toStrictEqual([replaced]);
  });

  it('deletes, answering false for an unknown id', () => {
    const store = temporary.open();
    store.putWebhook(slack);
    expect(store.deleteWebhook('slack')).toBe(true);
    expect(store.deleteWebhook('slack')).toBe(false);
    expect(store.getWebhook('slack')).toBeUndefined();
  });
});
