import '../test/setup';
import type { Ceiling, Rule, Webhook } from '@headroom/contract/wire';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { Resource } from '../api/resource';
import { CeilingSettings } from './ceiling-settings';
import { RuleSettings } from './rule-settings';
import type { CeilingInput, RuleInput, WebhookInput } from './validate';
import { WebhookSettings } from './webhook-settings';

/** An in-memory collector resource: stores what it accepts, refuses what `refuse` says. */
function memoryResource<T extends { id: string }, Input>(
  initial: T[],
  toItem: (input: Input, id: string) => T,
  refuse: (input: Input) => ApiError | undefined = () => undefined,
) {
  const items = [...initial];
  const requests: Array<{ method: string; id?: string; input?: Input }> = [];
  let next = 1;
  const resource: Resource<T, Input> = {
    list: async () => items.map((item) => ({ ...item })),
    create: async (input) => {
      requests.push({ method: 'POST', input });
      const refusal = refuse(input);
      if (refusal) throw refusal;
      const item = toItem(input, `id-${next++}`);
      items.push(item);
      return item;
    },
    update: async (id, input) => {
      requests.push({ method: 'PUT', id, input });
      const refusal = refuse(input);
      if (refusal) throw refusal;
      const index = items.findIndex((item) => item.id === id);
      items[index] = toItem(input, id);
      return items[index]!;
    },
    remove: async (id) => {
      requests.push({ method: 'DELETE', id });
      items.splice(
        items.findIndex((item) => item.id === id),
        1,
      );
    },
  };
  return { resource, items, requests };
}

const toCeiling = (input: CeilingInput, id: string): Ceiling => ({ ...input, id, updatedAt: 1 });

function fill(form: HTMLElement, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) {
    fireEvent.change(form.querySelector(`[name="${name}"]`)!, { target: { value } });
  }
}

const fieldErrors = (form: HTMLElement) =>
  Object.fromEntries(
    within(form)
      .queryAllByTestId('field-error')
      .map((element) => [element.dataset.field, element.textContent]),
  );

describe('CeilingSettings', () => {
  it('says what is wrong with each field before sending anything', async () => {
    const server = memoryResource<Ceiling, CeilingInput>([], toCeiling);
    render(<CeilingSettings resource={server.resource} />);
    const form = screen.getByTestId('ceiling-form');
    fill(form, { key: 'prod', tpm: '12.5' });
    fireEvent.click(within(form).getByRole('button', { name: 'Save ceiling' }));
    await waitFor(() =>
      expect(fieldErrors(form)).toEqual({
        provider: 'Missing `provider`: expected a string of 1 to 200 characters (`*` for any)',
        model: 'Missing `model`: expected a string of 1 to 200 characters (`*` for any)',
        tpm: 'Expected `tpm` to be a positive integer, got 12.5',
      }),
    );
    const provider = form.querySelector<HTMLInputElement>('[name="provider"]')!;
    expect(provider.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(provider);
    expect(document.getElementById(provider.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Missing `provider`: expected a string of 1 to 200 characters (`*` for any)',
    );
    expect(server.requests).toEqual([]);
  });

  it('asks for at least one limit', async () => {
    const server = memoryResource<Ceiling, CeilingInput>([], toCeiling);
    render(<CeilingSettings resource={server.resource} />);
    const form = screen.getByTestId('ceiling-form');
    fill(form, { key: 'prod', provider: 'openai', model: '*' });
    fireEvent.submit(form);
    await waitFor(() =>
      expect(fieldErrors(form)).toEqual({
        rpm: 'Expected at least one of `rpm`, `tpm` or `concurrency`, got none',
      }),
    );
  });

  it('saves through the API and lists what the server then has', async () => {
    const server = memoryResource<Ceiling, CeilingInput>([], toCeiling);
    render(<CeilingSettings resource={server.resource} />);
    await screen.findByText(/No ceilings configured/);
    const form = screen.getByTestId('ceiling-form');
    fill(form, { key: 'prod', provider: 'openai', model: '*', rpm: '500', concurrency: '20' });
    fireEvent.click(within(form).getByRole('button', { name: 'Save ceiling' }));
    const list = await screen.findByRole('table');
    expect(list.dataset.testid).toBe('ceiling-list');
    const rows = within(list).getAllByTestId('ceiling-row');
    expect(rows.map((row) => row.dataset.id)).toEqual(['id-1']);
    expect(rows[0]!.textContent).toContain('prod');
    expect(server.requests).toEqual([
      {
        method: 'POST',
        input: { key: 'prod', provider: 'openai', model: '*', rpm: 500, concurrency: 20 },
      },
    ]);
    expect(screen.getByTestId('form-saved').textContent).toBe(
      'Saved the ceiling of prod · openai · *.',
    );
    expect(form.querySelector<HTMLInputElement>('[name="key"]')!.value).toBe('');
  });

  it("shows the server's one-line refusal", async () => {
    const server = memoryResource<Ceiling, CeilingInput>(
      [{ id: 'a', key: 'prod', provider: 'openai', model: '*', rpm: 100, updatedAt: 1 }],
      toCeiling,
      () =>
        new ApiError(
          409,
          'Ceiling `id-1` is for key `prod`, provider `openai`, model `*`, which ceiling `a` already holds',
        ),
    );
    render(<CeilingSettings resource={server.resource} />);
    const form = screen.getByTestId('ceiling-form');
    fill(form, { key: 'prod', provider: 'openai', model: '*', rpm: '500' });
    fireEvent.click(within(form).getByRole('button', { name: 'Save ceiling' }));
    const error = await within(form).findByTestId('form-error');
    expect(error.textContent).toBe(
      'Ceiling `id-1` is for key `prod`, provider `openai`, model `*`, which ceiling `a` already holds',
    );
    expect(within(form).getByRole('alert').textContent).toContain('use Edit in the list');
    // The form keeps what was typed, so it can be corrected.
    expect(form.querySelector<HTMLInputElement>('[name="rpm"]')!.value).toBe('500');
  });

  it('edits with PUT and deletes with DELETE', async () => {
    const server = memoryResource<Ceiling, CeilingInput>(
      [{ id: 'a', key: 'prod', provider: 'openai', model: '*', rpm: 100, updatedAt: 1 }],
      toCeiling,
    );
    render(<CeilingSettings resource={server.resource} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit ceiling prod · openai · *' }));
    const form = screen.getByTestId('ceiling-form');
    expect(form.querySelector<HTMLInputElement>('[name="rpm"]')!.value).toBe('100');
    fill(form, { rpm: '250' });
    fireEvent.click(within(form).getByRole('button', { name: 'Save ceiling' }));
    await waitFor(() =>
      expect(
        screen.getByTestId('ceiling-list').querySelector('[data-field="rpm"]')?.textContent,
      ).toBe('250'),
    );
    expect(server.requests[0]).toEqual({
      method: 'PUT',
      id: 'a',
      input: { key: 'prod', provider: 'openai', model: '*', rpm: 250 },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Delete ceiling prod · openai · *' }));
    await screen.findByText(/No ceilings configured/);
    expect(server.items).toEqual([]);
  });
});

describe('WebhookSettings', () => {
  it('refuses a URL that is not http(s) before sending', async () => {
    const server = memoryResource<Webhook, WebhookInput>([], (input, id) => ({
      ...input,
      url: input.url ?? '',
      id,
      updatedAt: 1,
    }));
    render(<WebhookSettings resource={server.resource} />);
    const form = screen.getByTestId('webhook-form');
    fill(form, { url: 'slack' });
    fireEvent.click(within(form).getByRole('button', { name: 'Save webhook' }));
    await waitFor(() =>
      expect(fieldErrors(form)).toEqual({
        url: 'Expected `url` to be an http or https URL, got "slack"',
      }),
    );
    expect(server.requests).toEqual([]);
  });

  it('edits with the URL masked: left empty, the PUT leaves `url` out and the collector keeps it', async () => {
    const masked = 'https://hooks.slack.com/…';
    const server = memoryResource<Webhook, WebhookInput>(
      [{ id: 'oncall', url: masked, severities: [], enabled: true, updatedAt: 1 }],
      // As the collector does: without `url` the stored one stays, and is shown masked.
      (input, id) => ({ ...input, url: masked, id, updatedAt: 2 }),
    );
    render(<WebhookSettings resource={server.resource} />);
    const row = await screen.findByTestId('webhook-row');
    expect(row.textContent).toBe(`${masked} oncall · all severities · enabled EditDelete`);
    fireEvent.click(screen.getByRole('button', { name: 'Edit webhook oncall' }));
    const form = screen.getByTestId('webhook-form');
    const url = form.querySelector<HTMLInputElement>('[name="url"]')!;
    expect(url.value).toBe('');
    expect(url.placeholder).toBe(masked);
    expect(document.getElementById(url.getAttribute('aria-describedby')!)?.textContent).toBe(
      `Stored as ${masked}: leave empty to keep it, or enter a new URL.`,
    );
    fireEvent.click(form.querySelector('[name="critical"]')!);
    fireEvent.click(form.querySelector('[name="enabled"]')!);
    fireEvent.click(within(form).getByRole('button', { name: 'Save webhook' }));
    await screen.findByText('Saved the webhook; its URL is unchanged.');
    expect(server.requests).toEqual([
      { method: 'PUT', id: 'oncall', input: { severities: ['critical'], enabled: false } },
    ]);
    await waitFor(() =>
      expect(screen.getByTestId('webhook-row').textContent).toContain('critical · disabled'),
    );
  });

  it('adds with the whole URL, and says only its host once saved', async () => {
    const server = memoryResource<Webhook, WebhookInput>([], (input, id) => ({
      severities: input.severities,
      enabled: input.enabled,
      url: 'https://hooks.slack.com/…',
      id,
      updatedAt: 1,
    }));
    render(<WebhookSettings resource={server.resource} />);
    const form = screen.getByTestId('webhook-form');
    fill(form, { url: 'https://hooks.slack.com/services/T/B/secret' });
    fireEvent.click(within(form).getByRole('button', { name: 'Save webhook' }));
    await screen.findByText('Saved the webhook to hooks.slack.com.');
    expect(server.requests).toEqual([
      {
        method: 'POST',
        input: {
          url: 'https://hooks.slack.com/services/T/B/secret',
          severities: [],
          enabled: true,
        },
      },
    ]);
    expect(document.body.textContent).not.toContain('secret');
  });
});

describe('RuleSettings', () => {
  const toRule = (input: RuleInput, id: string): Rule => ({
    threshold: 1,
    forSeconds: 10,
    clearMargin: 0.05,
    ...input,
    id,
    updatedAt: 1,
  });

  it('asks for a look-ahead only for predictive rules, and checks it', async () => {
    const server = memoryResource<Rule, RuleInput>([], toRule);
    render(<RuleSettings resource={server.resource} />);
    const form = screen.getByTestId('rule-form');
    expect(form.querySelector('[name="withinSeconds"]')).toBeNull();
    fireEvent.change(form.querySelector('[name="kind"]')!, { target: { value: 'predictive' } });
    fill(form, { name: 'soon', withinSeconds: '7200' });
    fireEvent.click(within(form).getByRole('button', { name: 'Save rule' }));
    await waitFor(() =>
      expect(fieldErrors(form)).toEqual({
        withinSeconds: 'Expected `withinSeconds` to be at most 3600, got 7200',
      }),
    );
    fill(form, { withinSeconds: '30' });
    fireEvent.click(within(form).getByRole('button', { name: 'Save rule' }));
    await screen.findByText('Saved the rule “soon”.');
    expect(server.requests).toEqual([
      {
        method: 'POST',
        input: {
          name: 'soon',
          kind: 'predictive',
          severity: 'warning',
          threshold: 1,
          withinSeconds: 30,
          selector: {},
          enabled: true,
        },
      },
    ]);
    const row = await screen.findByTestId('rule-row');
    expect(row.textContent).toContain('ceiling within 30 s');
  });

  it("shows the server's 400 line when it refuses a rule", async () => {
    const server = memoryResource<Rule, RuleInput>(
      [],
      toRule,
      () =>
        new ApiError(
          400,
          'Expected `selector.graph` to be a string of 1 to 200 characters, got ""',
        ),
    );
    render(<RuleSettings resource={server.resource} />);
    const form = screen.getByTestId('rule-form');
    fill(form, { name: 'tight', threshold: '0.7' });
    fireEvent.click(within(form).getByRole('button', { name: 'Save rule' }));
    expect((await within(form).findByTestId('form-error')).textContent).toBe(
      'Expected `selector.graph` to be a string of 1 to 200 characters, got ""',
    );
  });

  it('keeps the hysteresis of a rule it edits', async () => {
    const server = memoryResource<Rule, RuleInput>(
      [
        toRule(
          {
            name: 'tight',
            kind: 'utilization',
            severity: 'warning',
            threshold: 0.7,
            selector: {},
            enabled: true,
          },
          'r1',
        ),
      ],
      toRule,
    );
    server.items[0]!.clearMargin = 0.2;
    render(<RuleSettings resource={server.resource} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit rule tight' }));
    const form = screen.getByTestId('rule-form');
    fill(form, { threshold: '0.75' });
    fireEvent.click(within(form).getByRole('button', { name: 'Save rule' }));
    await waitFor(() => expect(server.requests).toHaveLength(1));
    expect(server.requests[0]).toMatchObject({
      method: 'PUT',
      id: 'r1',
      input: { threshold: 0.75, forSeconds: 10, clearMargin: 0.2 },
    });
  });
});
