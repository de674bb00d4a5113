import {
  assertInteger,
  assertNonNegativeNumber,
  assertPlainObject,
  assertPositiveInteger,
  describeValue,
} from './assert-option.js';
import type { MockProviderOptions, ResolvedLimits, ResolvedOptions } from './options.js';

const LIMIT_NAMES = ['rpm', 'tpm', 'concurrency'] as const;
const LATENCY_NAMES = ['fixedMs', 'jitterMs'] as const;

/** Validates limits, naming the offending option by its full path (e.g. `keys.sk-a.rpm`). */
export function resolveLimits(name: string, value: unknown): ResolvedLimits {
  if (value === undefined || value === null) return {};
  const limits = assertPlainObject(name, value);
  const resolved: ResolvedLimits = {};
  for (const [field, limit] of Object.entries(limits)) {
    if (!(LIMIT_NAMES as readonly string[]).includes(field)) {
      throw new TypeError(`Unknown option \`${name}.${field}\`; expected rpm, tpm or concurrency`);
    }
    if (limit === undefined || limit === null) continue;
    resolved[field as (typeof LIMIT_NAMES)[number]] = assertPositiveInteger(
      `${name}.${field}`,
      limit,
    );
  }
  return resolved;
}

export function resolveOptions({
  keys = {},
  defaultLimits = {},
  latency = {},
  seed = 1,
  now = Date.now,
}: MockProviderOptions = {}): ResolvedOptions {
  const resolvedKeys = new Map<string, ResolvedLimits>();
  for (const [key, limits] of Object.entries(assertPlainObject('keys', keys))) {
    resolvedKeys.set(key, resolveLimits(`keys.${key}`, limits));
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
    defaultLimits: resolveLimits('defaultLimits', defaultLimits),
    latency: {
      fixedMs: assertNonNegativeNumber('latency.fixedMs', latencyObject.fixedMs ?? 0),
      jitterMs: assertNonNegativeNumber('latency.jitterMs', latencyObject.jitterMs ?? 0),
    },
    seed: assertInteger('seed', seed),
    now,
  };
}
