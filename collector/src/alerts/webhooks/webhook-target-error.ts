/** A webhook target refused for the address it names or resolves to; never retried. */
export class WebhookTargetError extends Error {
  override name = 'WebhookTargetError';
}
