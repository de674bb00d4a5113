import { describe, expect, it } from 'vitest';
import type { ZodMiniType } from 'zod/mini';
import type { $ZodError } from 'zod/v4/core';
import { ceilingInputDescription, ceilingInputSchema } from './ceiling.js';
import {
  describeFirstIssue,
  describeIssuesByField,
  type InputDescription,
} from './describe-issue.js';
import { ruleInputDescription, ruleInputSchema } from './rule.js';
import { webhookInputDescription, webhookInputSchema } from './webhook.js';

function errorOf(schema: ZodMiniType, value: unknown): $ZodError {
  const result = schema.safeParse(value);
  if (result.success) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return result.error;
}

const first = (schema: ZodMiniType, description: InputDescription, value: unknown) =>
  describeFirstIssue(errorOf(schema, value), value, description);
const byField = (schema: ZodMiniType, description: InputDescription, value: unknown) =>
  describeIssuesByField(errorOf(schema, value), value, description);

const ceiling = { key: 'prod', provider: 'openai', model: '*', rpm: 500 };
const rule = { name: 'hot', kind: 'utilization', severity: 'warning', threshold: 0.8 };

describe('describeFirstIssue', () => {
  it('names the first wrong field in field order, what it should be and what it was', () => {
    expect(
      first(ceilingInputSchema, ceilingInputDescription, { ...ceiling, model: '', rpm: 1.5 }),
    ).toBe('Expected `model` to be a string of 1 to 200 characters (`*` for any), got ""');
    expect(first(ceilingInputSchema, ceilingInputDescription, { ...ceiling, rpm: 2e9 })).toBe(
      'Expected `rpm` to be at most 1000000000, got 2000000000',
    );
    expect(first(ceilingInputSchema, ceilingInputDescription, { ...ceiling, rpm: '500' })).toBe(
      'Expected `rpm` to be a positive integer, got "500"',
    );
  });

  it('puts an unknown field first, with the field meant', () => {
    expect(first(ceilingInputSchema, ceilingInputDescription, { kye: 'prod', rpm: 1 })).toBe(
      'Unknown field `kye` (did you mean `key`?)',
    );
    expect(
      first(ruleInputSchema, ruleInputDescription, { ...rule, selector: { grpah: 'agent' } }),
    ).toBe('Unknown field `selector.grpah` (did you mean `graph`?)');
  });

  it('says what was missing, and what the whole input should be', () => {
    expect(first(ruleInputSchema, ruleInputDescription, { kind: 'utilization' })).toBe(
      'Missing `name`: expected a string of 1 to 200 characters',
    );
    expect(first(webhookInputSchema, webhookInputDescription, [])).toBe(
      'Expected a webhook to be an object, got a list',
    );
    expect(
      first(webhookInputSchema, webhookInputDescription, { severities: ['warning', 'critcal'] }),
    ).toBe(
      'Expected `severities[1]` to be `warning` or `critical`, got "critcal" (did you mean `critical`?)',
    );
  });
});

describe('describeIssuesByField', () => {
  it('gives every wrong field its line, by path', () => {
    expect(
      byField(ruleInputSchema, ruleInputDescription, {
        ...rule,
        name: '',
        forSeconds: 2.5,
        selector: { key: 'k'.repeat(201), node: 'plan' },
      }),
    ).toEqual({
      name: 'Expected `name` to be a string of 1 to 200 characters, got ""',
      forSeconds: 'Expected `forSeconds` to be an integer from 0 to 3600, got 2.5',
      'selector.key':
        'Expected `selector.key` to be at most 200 characters, got a string of 201 characters',
    });
  });

  it("gives each field the collector's line for it: the one it answers when that field alone is wrong", () => {
    const wrong: Record<string, unknown> = {
      key: '',
      provider: 7,
      model: 'm'.repeat(201),
      rpm: 2e9 + 0.5,
      tpm: 12.5,
      concurrency: 'many',
      note: 'n'.repeat(1001),
    };
    const lines = byField(ceilingInputSchema, ceilingInputDescription, { ...ceiling, ...wrong });
    expect(Object.keys(lines).sort()).toEqual(Object.keys(wrong).sort());
    for (const [field, value] of Object.entries(wrong)) {
      const alone = { ...ceiling, [field]: value };
      expect(lines[field], field).toBe(first(ceilingInputSchema, ceilingInputDescription, alone));
    }
  });
});
