import type { Ceiling, Rule, Webhook } from '@headroom/contract/wire';
import { resource } from '../api/resource';
import { CeilingSettings } from './ceiling-settings';
import { RuleSettings } from './rule-settings';
import type { CeilingInput, RuleInput, WebhookInput } from './validate';
import { WebhookSettings } from './webhook-settings';

const ceilings = resource<Ceiling, CeilingInput>('api/ceilings');
const rules = resource<Rule, RuleInput>('api/rules');
const webhooks = resource<Webhook, WebhookInput>('api/webhooks');

/** Ceilings, alert rules and webhooks, saved through the collector's API. */
export function Settings() {
  return (
    <>
      <CeilingSettings resource={ceilings} />
      <RuleSettings resource={rules} />
      <WebhookSettings resource={webhooks} />
    </>
  );
}
