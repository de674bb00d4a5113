import type { Ceiling } from '@headroom/contract/wire';
import { useState } from 'react';
import type { Resource } from '../api/resource';
import { formatNumber } from '../format/format';
import { Field, FormActions, FormOutcome, ListErrors, RowActions } from './field';
import { useForm } from './use-form';
import { useResourceList } from './use-resource';
import { type CeilingInput, type CeilingValues, validateCeiling } from './validate';

const EMPTY: CeilingValues = {
  key: '',
  provider: '',
  model: '',
  rpm: '',
  tpm: '',
  concurrency: '',
  note: '',
};

function toValues(ceiling: Ceiling): CeilingValues {
  return {
    key: ceiling.key,
    provider: ceiling.provider,
    model: ceiling.model,
    rpm: ceiling.rpm === undefined ? '' : String(ceiling.rpm),
    tpm: ceiling.tpm === undefined ? '' : String(ceiling.tpm),
    concurrency: ceiling.concurrency === undefined ? '' : String(ceiling.concurrency),
    note: ceiling.note ?? '',
  };
}

/** Ceilings per key × provider × model: a form to add or edit one, and the list the server has. */
export function CeilingSettings({ resource }: { resource: Resource<Ceiling, CeilingInput> }) {
  const list = useResourceList(resource);
  const [listError, setListError] = useState<string | undefined>(undefined);
  const form = useForm<CeilingValues, CeilingInput>({
    empty: EMPTY,
    validate: validateCeiling,
    save: async (input, id) => {
      try {
        await (id === undefined ? resource.create(input) : resource.update(id, input));
      } finally {
        await list.reload();
      }
    },
    savedText: (input) => `Saved the ceiling of ${input.key} · ${input.provider} · ${input.model}.`,
  });
  const remove = async (ceiling: Ceiling) => {
    setListError(undefined);
    try {
      await resource.remove(ceiling.id);
    } catch (error) {
      setListError((error as Error).message);
    }
    await list.reload();
  };
  const { values, errors } = form;
  return (
    <div className="settings-block">
      <form
        ref={form.formRef}
        className="card form"
        data-testid="ceiling-form"
        aria-labelledby="ceiling-form-title"
        noValidate
        onSubmit={form.onSubmit}
      >
        <h3 id="ceiling-form-title">
          {form.editingId === undefined ? 'Add a ceiling' : `Edit ceiling ${form.editingId}`}
        </h3>
        <p className="hint">
          Use <code>*</code> for any key, provider or model. A configured ceiling wins over one
          learned from the provider's headers.
        </p>
        <div className="field-row">
          <Field
            label="Key"
            name="key"
            value={values.key}
            error={errors.key}
            onChange={form.setField}
            placeholder="prod or *"
          />
          <Field
            label="Provider"
            name="provider"
            value={values.provider}
            error={errors.provider}
            onChange={form.setField}
            placeholder="openai or *"
          />
          <Field
            label="Model"
            name="model"
            value={values.model}
            error={errors.model}
            onChange={form.setField}
            placeholder="gpt-4o-mini or *"
          />
        </div>
        <fieldset className="field-row">
          <legend>Limits (at least one)</legend>
          <Field
            label="RPM"
            name="rpm"
            value={values.rpm}
            error={errors.rpm}
            onChange={form.setField}
            inputMode="numeric"
            hint="requests per minute"
          />
          <Field
            label="TPM"
            name="tpm"
            value={values.tpm}
            error={errors.tpm}
            onChange={form.setField}
            inputMode="numeric"
            hint="tokens per minute"
          />
          <Field
            label="Concurrency"
            name="concurrency"
            value={values.concurrency}
            error={errors.concurrency}
            onChange={form.setField}
            inputMode="numeric"
            hint="calls in flight"
          />
        </fieldset>
        <Field
          label="Note"
          name="note"
          value={values.note}
          error={errors.note}
          onChange={form.setField}
        />
        <FormActions
          label="Save ceiling"
          busy={form.busy}
          editing={form.editingId !== undefined}
          onCancel={form.cancel}
        />
        <FormOutcome
          error={form.serverError}
          saved={form.saved}
          hint={
            form.conflict
              ? 'That key × provider × model has a ceiling already: use Edit in the list to change it.'
              : undefined
          }
        />
      </form>
      <div className="card">
        <h3>Ceilings</h3>
        <ListErrors noun="ceilings" actionError={listError} loadError={list.loadError} />
        {list.items === undefined ? (
          <p>Loading…</p>
        ) : list.items.length === 0 ? (
          <p data-testid="ceiling-list" data-count="0">
            No ceilings configured. Learned ceilings come from the provider's rate-limit headers.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="ceiling-list" data-count={list.items.length}>
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Provider</th>
                  <th scope="col">Model</th>
                  <th scope="col">RPM</th>
                  <th scope="col">TPM</th>
                  <th scope="col">Concurrency</th>
                  <th scope="col">Note</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((ceiling) => {
                  const label = `${ceiling.key} · ${ceiling.provider} · ${ceiling.model}`;
                  return (
                    <tr
                      key={ceiling.id}
                      data-testid="ceiling-row"
                      data-id={ceiling.id}
                      data-key={ceiling.key}
                      data-provider={ceiling.provider}
                      data-model={ceiling.model}
                    >
                      <td>{ceiling.key}</td>
                      <td>{ceiling.provider}</td>
                      <td>{ceiling.model}</td>
                      <td data-field="rpm" data-value={ceiling.rpm ?? ''}>
                        {ceiling.rpm === undefined ? '—' : formatNumber(ceiling.rpm)}
                      </td>
                      <td data-field="tpm" data-value={ceiling.tpm ?? ''}>
                        {ceiling.tpm === undefined ? '—' : formatNumber(ceiling.tpm)}
                      </td>
                      <td data-field="concurrency" data-value={ceiling.concurrency ?? ''}>
                        {ceiling.concurrency === undefined
                          ? '—'
                          : formatNumber(ceiling.concurrency)}
                      </td>
                      <td>{ceiling.note ?? ''}</td>
                      <td className="actions">
                        <RowActions
                          what={`ceiling ${label}`}
                          onEdit={() => form.edit(ceiling.id, toValues(ceiling))}
                          onDelete={() => void remove(ceiling)}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
