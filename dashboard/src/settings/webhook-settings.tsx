import type { Webhook } from '@headroom/contract/wire';
import { useId, useState } from 'react';
import type { Resource } from '../api/resource';
import { Field, FormActions, FormOutcome, ListErrors, RowActions } from './field';
import { useForm } from './use-form';
import { useResourceList } from './use-resource';
import { validateWebhook, type WebhookInput, type WebhookValues } from './validate';

const EMPTY: WebhookValues = {
  url: '',
  maskedUrl: '',
  warning: false,
  critical: false,
  enabled: true,
};

/** The collector never sends the stored URL (it is the secret): editing starts with it empty. */
function toValues(webhook: Webhook): WebhookValues {
  return {
    url: '',
    maskedUrl: webhook.url,
    warning: webhook.severities.includes('warning'),
    critical: webhook.severities.includes('critical'),
    enabled: webhook.enabled,
  };
}

/** Slack-compatible webhooks the collector posts alert transitions to. */
export function WebhookSettings({ resource }: { resource: Resource<Webhook, WebhookInput> }) {
  const id = useId();
  const list = useResourceList(resource);
  const [listError, setListError] = useState<string | undefined>(undefined);
  const form = useForm<WebhookValues, WebhookInput>({
    empty: EMPTY,
    validate: validateWebhook,
    save: async (input, webhookId) => {
      try {
        await (webhookId === undefined
          ? resource.create(input)
          : resource.update(webhookId, input));
      } finally {
        await list.reload();
      }
    },
    // The host only: the rest of the URL is the secret, not to be left on screen.
    savedText: (input) =>
      input.url === undefined
        ? 'Saved the webhook; its URL is unchanged.'
        : `Saved the webhook to ${new URL(input.url).host}.`,
  });
  const remove = async (webhook: Webhook) => {
    setListError(undefined);
    try {
      await resource.remove(webhook.id);
    } catch (error) {
      setListError((error as Error).message);
    }
    await list.reload();
  };
  const { values, errors } = form;
  const check = (name: 'warning' | 'critical' | 'enabled', label: string) => (
    <div className="field field-check">
      <input
        id={`${id}-${name}`}
        type="checkbox"
        name={name}
        checked={values[name]}
        onChange={(event) => form.setField(name, event.target.checked)}
      />
      <label htmlFor={`${id}-${name}`}>{label}</label>
    </div>
  );
  return (
    <div className="settings-block">
      <form
        ref={form.formRef}
        className="card form"
        data-testid="webhook-form"
        aria-labelledby={`${id}-title`}
        noValidate
        onSubmit={form.onSubmit}
      >
        <h3 id={`${id}-title`}>
          {form.editingId === undefined ? 'Add a webhook' : `Edit webhook ${form.editingId}`}
        </h3>
        <Field
          label="URL"
          name="url"
          type="url"
          value={values.url}
          error={errors.url}
          onChange={form.setField}
          placeholder={values.maskedUrl || 'https://hooks.slack.com/services/…'}
          {...(values.maskedUrl === ''
            ? {}
            : {
                hint: `Stored as ${values.maskedUrl}: leave empty to keep it, or enter a new URL.`,
              })}
        />
        <fieldset className="field-row">
          <legend>Severities (none checked: all)</legend>
          {check('warning', 'warning')}
          {check('critical', 'critical')}
        </fieldset>
        {check('enabled', 'Enabled')}
        <FormActions
          label="Save webhook"
          busy={form.busy}
          editing={form.editingId !== undefined}
          onCancel={form.cancel}
        />
        <FormOutcome error={form.serverError} saved={form.saved} />
      </form>
      <div className="card">
        <h3>Webhooks</h3>
        <ListErrors noun="webhooks" actionError={listError} loadError={list.loadError} />
        {list.items === undefined ? (
          <p>Loading…</p>
        ) : list.items.length === 0 ? (
          <p data-testid="webhook-list" data-count="0">
            No webhooks: alerts show here and in the collector's log only.
          </p>
        ) : (
          <ul className="plain-list" data-testid="webhook-list" data-count={list.items.length}>
            {list.items.map((webhook) => (
              <li key={webhook.id} data-testid="webhook-row" data-id={webhook.id}>
                <span className="webhook-url">{webhook.url}</span>{' '}
                <span className="muted">
                  {webhook.id} ·{' '}
                  {webhook.severities.length === 0
                    ? 'all severities'
                    : webhook.severities.join(', ')}{' '}
                  · {webhook.enabled ? 'enabled' : 'disabled'}
                </span>{' '}
                <RowActions
                  what={`webhook ${webhook.id}`}
                  small
                  onEdit={() => form.edit(webhook.id, toValues(webhook))}
                  onDelete={() => void remove(webhook)}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
