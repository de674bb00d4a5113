import { describe, expect, it } from 'vitest';
import { isHttpUrl, maskedUrlProblem, webhookInputSchema, withMaskedUrl } from './webhook.js';

describe('webhook input', () => {
  it('takes http and https URLs of at most 2000 characters', () => {
    expect(isHttpUrl('https://hooks.slack.com/services/T/B/X')).toBe(true);
    expect(isHttpUrl('http://example.com')).toBe(true);
    for (const url of ['ftp://example.com/x', 'hooks.slack.com/x', 'javascript:alert(1)', ''])
      expect(isHttpUrl(url), url).toBe(false);
    const long = `https://example.com/${'a'.repeat(2000 - 20)}`;
    expect(webhookInputSchema.safeParse({ url: long }).success).toBe(true);
    expect(webhookInputSchema.safeParse({ url: `${long}a` }).success).toBe(false);
  });

  it('refuses a URL that is a masked one, as the API shows them', () => {
    expect(maskedUrlProblem('https://hooks.slack.com/…')).toBe(
      'url: https://hooks.slack.com/… is a masked URL, as the API shows it; send the whole URL, or leave `url` out to keep the stored one',
    );
    expect(maskedUrlProblem('https://hooks.slack.com/services/T/B/X')).toBeUndefined();
  });

  it('shows a URL masked in messages, its secret path cut', () => {
    expect(withMaskedUrl({ url: 'https://user:pw@hooks.slack.com/services/T/B/X' })).toEqual({
      url: 'https://hooks.slack.com/…',
    });
    expect(withMaskedUrl({ url: 5 })).toEqual({ url: 5 });
    expect(withMaskedUrl('https://x/y')).toBe('https://x/y');
  });
});
