/** What a masked URL ends with in place of its path and query. */
export const MASK = '/…';

/**
 * A webhook URL with only its scheme and host: the path and query of a Slack-style webhook are
 * its secret, and credentials may sit before the host. `https://hooks.slack.com/services/T/B/X`
 * becomes `https://hooks.slack.com/…`. Text that is no http(s) URL is cut the same way.
 */
export function maskWebhookUrl(text: string): string {
  if (URL.canParse(text)) {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return `${url.origin}${MASK}`;
  }
  const [authority = ''] = /^(?:[a-z][a-z\d+.-]*:\/\/)?[^/?#]*/i.exec(text) ?? [];
  // `user:password@host`: only the host is shown.
  const scheme = /^[a-z][a-z\d+.-]*:\/\//i.exec(authority)?.[0] ?? '';
  const host = authority.slice(scheme.length).replace(/^.*@/, '');
  return `${scheme}${host}${authority.length < text.length ? MASK : ''}`;
}
