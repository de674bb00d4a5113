import { describe, expect, it } from 'vitest';
import { maskWebhookUrl } from './mask-webhook-url.js';

describe('maskWebhookUrl', () => {
  it.each([
    ['https://hooks.slack.com/services/T000/B000/secret', 'https://hooks.slack.com/…'],
    ['https://hooks.slack.com/', 'https://hooks.slack.com/…'],
    ['http://receiver.test:9000/hook?token=secret#x', 'http://receiver.test:9000/…'],
    ['https://user:password@receiver.test/hook', 'https://receiver.test/…'],
    ['HTTPS://Hooks.Slack.com/Services/X', 'https://hooks.slack.com/…'],
    ['ftp://user:password@example.com/x', 'ftp://example.com/…'],
    ['hooks.slack.com/services/T/B/secret', 'hooks.slack.com/…'],
    ['hooks.slack.com', 'hooks.slack.com'],
  ])('%s → %s', (url, masked) => {
    expect(maskWebhookUrl(url)).toBe(masked);
  });
});
