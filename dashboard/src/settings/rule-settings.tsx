import type { Rule, RuleKind, Severity } from '@headroom/contract/wire';
import { useId, useState } from 'react';
import { formatRuleCondition } from '../alerts/alert-value';
import type { Resource } from '../api/resource';
import { Field, FormActions, FormOutcome, ListErrors, RowActions } from './field';
import { useForm } from './use-form';
import { useResourceList } from './use-resource';
import { type RuleInput, type RuleValues, validateRule } from './validate';

const KINDS: ReadonlyArray<{
  kind: RuleKind;
  label: string;
  threshold: string;
  defaultThreshold: string;
}> = [
  {
    kind: 'utilization',
    label: 'Utilization of a ceiling',
    threshold: 'Utilization threshold (0 to 1)',
    defaultThreshold: '0.8',
  },
  {
    kind: 'predictive',
    label: 'Ceiling reached soon (predictive)',
    threshold: 'Share of the ceiling projected (0 to 1)',
    defaultThreshold: '1',
  },
  {
    kind: 'rate_limited',
    label: 'Rate limited (429s)',
    threshold: '429s per minute above',
    defaultThreshold: '0',
  },
  {
    kind: 'retry_amplification',
    label: 'Retry amplification',
    threshold: 'Attempts per call above',
    defaultThreshold: '1.5',
  },
  {
    kind: 'node_executions_per_run',
    label: 'Node executions per run',
    threshold: 'Executions per run above',
    defaultThreshold: '25',
  },
];
const KIND = new Map(KINDS.map((entry) => [entry.kind, entry]));

const EMPTY: RuleValues = {
  name: '',
  kind: 'utilization',
  severity: 'warning',
  threshold: '0.8',
  withinSeconds: '60',
  forSeconds: '',
  key: '',
  provider: '',
  model: '',
  graph: '',
  node: '',
  enabled: true,
};

function toValues(rule: Rule): RuleValues {
  return {
    name: rule.name,
    kind: rule.kind,
    severity: rule.severity,
    threshold: String(rule.threshold),
    withinSeconds: rule.withinSeconds === undefined ? '60' : String(rule.withinSeconds),
    forSeconds: String(rule.forSeconds),
    key: rule.selector.key ?? '',
    provider: rule.selector.provider ?? '',
    model: rule.selector.model ?? '',
    graph: rule.selector.graph ?? '',
    node: rule.selector.node ?? '',
    enabled: rule.enabled,
  };
}

/** Alert rules: thresholds per kind, how long they must hold, and which series they watch. */
export function RuleSettings({ resource }: { resource: Resource<Rule, RuleInput> }) {
  const id = useId();
  const list = useResourceList(resource);
  const [listError, setListError] = useState<string | undefined>(undefined);
  const form = useForm<RuleValues, RuleInput>({
    empty: EMPTY,
    validate: validateRule,
    save: async (input, ruleId) => {
      try {
        if (ruleId === undefined) await resource.create(input);
        else {
          // Keep the hysteresis the rule had: the form does not show it.
          const clearMargin = list.items?.find((rule) => rule.id === ruleId)?.clearMargin;
          await resource.update(
            ruleId,
            clearMargin === undefined ? input : { ...input, clearMargin },
          );
        }
      } finally {
        await list.reload();
      }
    },
    savedText: (input) => `Saved the rule “${input.name}”.`,
  });
  const remove = async (rule: Rule) => {
    setListError(undefined);
    try {
      await resource.remove(rule.id);
    } catch (error) {
      setListError((error as Error).message);
    }
    await list.reload();
  };
  const { values, errors } = form;
  const kind = KIND.get(values.kind)!;
  const changeKind = (next: RuleKind) => {
    form.setField('kind', next);
    form.setField('threshold', KIND.get(next)!.defaultThreshold);
  };
  return (
    <div className="settings-block">
      <form
        ref={form.formRef}
        className="card form"
        data-testid="rule-form"
        aria-labelledby={`${id}-title`}
        noValidate
        onSubmit={form.onSubmit}
      >
        <h3 id={`${id}-title`}>
          {form.editingId === undefined ? 'Add an alert rule' : `Edit rule ${form.editingId}`}
        </h3>
        <Field
          label="Name"
          name="name"
          value={values.name}
          error={errors.name}
          onChange={form.setField}
        />
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-kind`}>Kind</label>
            <select
              id={`${id}-kind`}
              name="kind"
              value={values.kind}
              onChange={(event) => changeKind(event.target.value as RuleKind)}
            >
              {KINDS.map((entry) => (
                <option key={entry.kind} value={entry.kind}>
                  {entry.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-severity`}>Severity</label>
            <select
              id={`${id}-severity`}
              name="severity"
              value={values.severity}
              onChange={(event) => form.setField('severity', event.target.value as Severity)}
            >
              <option value="warning">warning</option>
              <option value="critical">critical</option>
            </select>
          </div>
        </div>
        <div className="field-row">
          <Field
            label={kind.threshold}
            name="threshold"
            value={values.threshold}
            error={errors.threshold}
            onChange={form.setField}
            inputMode="decimal"
          />
          {values.kind === 'predictive' && (
            <Field
              label="Look ahead (seconds)"
              name="withinSeconds"
              value={values.withinSeconds}
              error={errors.withinSeconds}
              onChange={form.setField}
              inputMode="numeric"
              hint="fires when the ceiling is reached within this many seconds at the current slope"
            />
          )}
          <Field
            label="Hold for (seconds)"
            name="forSeconds"
            value={values.forSeconds}
            error={errors.forSeconds}
            onChange={form.setField}
            inputMode="numeric"
            hint="pending until the condition held this long; empty for the kind's default"
          />
        </div>
        <fieldset className="field-row">
          <legend>Only for (empty matches everything)</legend>
          {(['key', 'provider', 'model', 'graph', 'node'] as const).map((name) => (
            <Field
              key={name}
              label={name[0]!.toUpperCase() + name.slice(1)}
              name={name}
              value={values[name]}
              error={errors[name]}
              onChange={form.setField}
            />
          ))}
        </fieldset>
        <div className="field field-check">
          <input
            id={`${id}-enabled`}
            type="checkbox"
            name="enabled"
            checked={values.enabled}
            onChange={(event) => form.setField('enabled', event.target.checked)}
          />
          <label htmlFor={`${id}-enabled`}>Enabled</label>
        </div>
        <FormActions
          label="Save rule"
          busy={form.busy}
          editing={form.editingId !== undefined}
          onCancel={form.cancel}
        />
        <FormOutcome error={form.serverError} saved={form.saved} />
      </form>
      <div className="card">
        <h3>Rules</h3>
        <ListErrors noun="rules" actionError={listError} loadError={list.loadError} />
        {list.items === undefined ? (
          <p>Loading…</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="rule-list" data-count={list.items.length}>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Threshold</th>
                  <th scope="col">Hold</th>
                  <th scope="col">Only for</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((rule) => (
                  <tr key={rule.id} data-testid="rule-row" data-id={rule.id} data-kind={rule.kind}>
                    <td>{rule.name}</td>
                    <td>
                      <span className={`tag tag-${rule.severity}`}>{rule.severity}</span>
                    </td>
                    <td data-field="threshold" data-value={rule.threshold}>
                      {formatRuleCondition(rule)}
                    </td>
                    <td className="nowrap">{rule.forSeconds} s</td>
                    <td>
                      {Object.entries(rule.selector)
                        .map(([field, value]) => `${field}=${value}`)
                        .join(', ') || 'everything'}
                    </td>
                    <td>{rule.enabled ? 'enabled' : 'disabled'}</td>
                    <td className="actions">
                      <RowActions
                        what={`rule ${rule.name}`}
                        onEdit={() => form.edit(rule.id, toValues(rule))}
                        onDelete={() => void remove(rule)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
