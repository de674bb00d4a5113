import {
  assertInteger,
  assertNonNegativeNumber,
  assertPlainObject,
  assertPositiveInteger,
  describeValue,
} from './assert-option.js';
import type { Account, MockProviderOptions, ResolvedLimits, ResolvedOptions } from './options.js';

const LIMIT_NAMES = ['rpm', 'tpm', 'itpm', 'otpm', 'concurrency'] as const;
/** Organization and project names go out as header values, so only header-safe characters. */
const ACCOUNT_NAME = /^[A-Za-z0-9_.-]+$/;
const LATENCY_NAMES = ['fixedMs', 'jitterMs'] as const;

/** Validates limits, naming the offending option by its full path (e.g. `keys.sk-a.rpm`). */
export function resolveLimits(
  name: string,
  value: unknown,
  expected = 'rpm, tpm, itpm, otpm or concurrency',
): ResolvedLimits {
  if (value === undefined || value === null) return {};
  const limits = assertPlainObject(name, value);
  const resolved: ResolvedLimits = {};
  for (const [field, limit] of Object.entries(limits)) {
    if (!(LIMIT_NAMES as readonly string[]).includes(field)) {
      throw new TypeError(`Unknown option \`${name}.${field}\`; expected ${expected}`);
    }
    if (limit === undefined || limit === null) continue;
    resolved[field as (typeof LIMIT_NAMES)[number]] = assertPositiveInteger(
      `${name}.${field}`,
      limit,
    );
  }
  return resolved;
}

/**
 * A key's limits and, when it belongs to an organization, its account. A key in an organization
 * has no limits of its own: on OpenAI the organization's budget is what runs out.
 */
function resolveKey(
  key: string,
  value: unknown,
  organizations: ReadonlyMap<string, ResolvedLimits>,
): { limits: ResolvedLimits; account?: Account; silent?: boolean } {
  const name = `keys.${key}`;
  if (value === undefined || value === null) return { limits: {} };
  const { organization, project, headers, ...limits } = assertPlainObject(name, value);
  const resolved = resolveLimits(
    name,
    limits,
    'rpm, tpm, itpm, otpm, concurrency, organization, project or headers',
  );
  if (headers !== undefined && typeof headers !== 'boolean') {
    throw new TypeError(
      `Expected \`${name}.headers\` to be true or false, got ${describeValue(headers)}`,
    );
  }
  const silent = headers === false ? { silent: true } : {};
  if (organization === undefined) {
    if (project !== undefined) {
      throw new TypeError(`Expected \`${name}.project\` to come with \`${name}.organization\``);
    }
    return { limits: resolved, ...silent };
  }
  const account: Account = { organization: accountName(`${name}.organization`, organization) };
  if (!organizations.has(account.organization)) {
    const known = [...organizations.keys()].join(', ') || 'none';
    throw new TypeError(
      `Expected \`${name}.organization\` to name one of \`organizations\` (${known}), got ${describeValue(organization)}`,
    );
  }
  const own = Object.keys(resolved);
  if (own.length > 0) {
    throw new TypeError(
      `Expected \`${name}\` to have no limits of its own beside \`organization\`; set ${own.join(', ')} on \`organizations.${account.organization}\``,
    );
  }
  if (project !== undefined) account.project = accountName(`${name}.project`, project);
  return { limits: resolved, account, ...silent };
}

function accountName(name: string, value: unknown): string {
  if (typeof value !== 'string' || !ACCOUNT_NAME.test(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be a name of letters, digits, -, _ or ., got ${describeValue(value)}`,
    );
  }
  return value;
}

function resolveDeployment(name: string, value: unknown): ResolvedLimits {
  const { windowSeconds = 10, ...limits } = assertPlainObject(name, value ?? {});
  if (windowSeconds !== 1 && windowSeconds !== 10) {
    throw new TypeError(
      `Expected \`${name}.windowSeconds\` to be 1 or 10, got ${describeValue(windowSeconds)}`,
    );
  }
  return {
    ...resolveLimits(name, limits, 'rpm, tpm, itpm, otpm, concurrency or windowSeconds'),
    windowMs: windowSeconds * 1000,
  };
}

export function resolveOptions({
  keys = {},
  organizations = {},
  defaultLimits = {},
  deployments = {},
  latency = {},
  seed = 1,
  now = Date.now,
}: MockProviderOptions = {}): ResolvedOptions {
  const resolvedOrganizations = new Map<string, ResolvedLimits>();
  for (const [organization, limits] of Object.entries(
    assertPlainObject('organizations', organizations),
  )) {
    accountName(`organizations.${organization}`, organization);
    resolvedOrganizations.set(organization, resolveLimits(`organizations.${organization}`, limits));
  }
  const resolvedKeys = new Map<string, ResolvedLimits>();
  const accounts = new Map<string, Account>();
  const silent = new Set<string>();
  for (const [key, value] of Object.entries(assertPlainObject('keys', keys))) {
    const resolved = resolveKey(key, value, resolvedOrganizations);
    resolvedKeys.set(key, resolved.limits);
    if (resolved.account !== undefined) accounts.set(key, resolved.account);
    if (resolved.silent) silent.add(key);
  }
  const latencyObject = assertPlainObject('latency', latency);
  for (const field of Object.keys(latencyObject)) {
    if (!(LATENCY_NAMES as readonly string[]).includes(field)) {
      throw new TypeError(`Unknown option \`latency.${field}\`; expected fixedMs or jitterMs`);
    }
  }
  if (typeof now !== 'function') {
    throw new TypeError(
      `Expected \`now\` to be a function returning milliseconds, got ${describeValue(now)}`,
    );
  }
  return {
    keys: resolvedKeys,
    organizations: resolvedOrganizations,
    accounts,
    silent,
    defaultLimits: resolveLimits('defaultLimits', defaultLimits),
    deployments: new Map(
      Object.entries(assertPlainObject('deployments', deployments)).map(([name, value]) => [
        name,
        resolveDeployment(`deployments.${name}`, value),
      ]),
    ),
    latency: {
      fixedMs: assertNonNegativeNumber('latency.fixedMs', latencyObject.fixedMs ?? 0),
      jitterMs: assertNonNegativeNumber('latency.jitterMs', latencyObject.jitterMs ?? 0),
    },
    seed: assertInteger('seed', seed),
    now,
  };
}
