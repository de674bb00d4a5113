import { createHash } from 'node:crypto';
import { describeValue, maskWebhookUrl } from '@headroom/contract';
import * as z from 'zod';
import type { Ceiling, Rule, Webhook } from '../storage/types.js';
import { parseCeilingInput } from './ceiling-input.js';
import { ConfigError } from './config-error.js';
import type { ParseOptions } from './parse-options.js';
import { readConfigDocument } from './read-config-document.js';
import { parseRuleInput } from './rule-input.js';
import { toConfigError } from './to-config-error.js';
import { parseWebhookInput } from './webhook-input.js';

export interface ConfigFile {
  ceilings: Ceiling[];
  rules: Rule[];
  webhooks: Webhook[];
}

// `ceilings:` with every item commented out is YAML null: read as an empty list.
const listSchema = z.array(z.unknown()).nullish();
const fileSchema = z.strictObject({
  ceilings: listSchema,
  rules: listSchema,
  webhooks: listSchema,
});
const fileDescription = {
  subject: 'the file',
  expected: {
    ceilings: 'a list of ceilings',
    rules: 'a list of rules',
    webhooks: 'a list of webhooks',
  },
};

/**
 * The id of an item the file gives none: derived from what makes it unique (not random), so
 * loading the same file again at the next start updates the stored item instead of adding a copy.
 */
function derivedId(section: string, ...identity: string[]): string {
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
  return `config-${section}-${hash.slice(0, 12)}`;
}

function hasOwnId(item: unknown): boolean {
  return typeof item === 'object' && item !== null && 'id' in item;
}

function loadSection<T extends { id: string }>(
  path: string,
  section: keyof ConfigFile,
  items: readonly unknown[],
  parse: (value: unknown, options: ParseOptions) => T,
  now: number,
  identify: (item: T) => { what: string; values: string[]; shown?: string[] },
): T[] {
  const firstByIdentity = new Map<string, number>();
  const firstById = new Map<string, number>();
  return items.map((raw, index) => {
    const fail = (message: string) => new ConfigError(`${path}: ${section}[${index}]: ${message}`);
    let item: T;
    try {
      item = parse(raw, { now });
    } catch (error) {
      throw error instanceof ConfigError ? fail(error.message) : error;
    }
    const { what, values, shown: shownValues = values } = identify(item);
    if (!hasOwnId(raw)) item.id = derivedId(section.slice(0, -1), ...values);
    const identity = JSON.stringify(values);
    const sameIdentity = firstByIdentity.get(identity);
    if (sameIdentity !== undefined) {
      const shown = shownValues.map(describeValue).join(', ');
      throw fail(`Same ${what} as ${section}[${sameIdentity}]: ${shown}`);
    }
    firstByIdentity.set(identity, index);
    const sameId = firstById.get(item.id);
    if (sameId !== undefined) {
      throw fail(`Same id as ${section}[${sameId}]: ${describeValue(item.id)}`);
    }
    firstById.set(item.id, index);
    return item;
  });
}

export interface LoadOptions {
  now?: number;
  /** Lets webhooks target loopback, private and carrier-grade NAT addresses. */
  allowPrivateWebhooks?: boolean;
}

/** Ceilings, rules and webhooks from `headroom.yaml` (or `.yml`, `.json`); the default rules not included. */
export function loadConfigFile(
  path: string,
  { now = Date.now(), allowPrivateWebhooks = false }: LoadOptions = {},
): ConfigFile {
  const document = readConfigDocument(path) ?? {};
  const result = fileSchema.safeParse(document);
  if (!result.success) {
    throw new ConfigError(
      `${path}: ${toConfigError(result.error, document, fileDescription).message}`,
    );
  }
  const { ceilings, rules, webhooks } = result.data;
  return {
    ceilings: loadSection(path, 'ceilings', ceilings ?? [], parseCeilingInput, now, (item) => ({
      what: 'key, provider and model',
      values: [item.key, item.provider, item.model],
    })),
    rules: loadSection(path, 'rules', rules ?? [], parseRuleInput, now, (item) => ({
      what: 'name',
      values: [item.name],
    })),
    webhooks: loadSection(
      path,
      'webhooks',
      webhooks ?? [],
      (value, options) => parseWebhookInput(value, { ...options, allowPrivateWebhooks }),
      now,
      // The URL tells webhooks apart, but its path is a secret the message must not print.
      (item) => ({ what: 'url', values: [item.url], shown: [maskWebhookUrl(item.url)] }),
    ),
  };
}
