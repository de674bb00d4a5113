import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  assertNonNegativeNumber,
  assertPlainObject,
  assertPositiveInteger,
  describeValue,
} from './assert-option.js';
import type { StartMockProviderOptions } from './options.js';
import { resolveOptions } from './resolve-options.js';
import { resolveOutcome } from './script-queue.js';

export const USAGE = `Usage: headroom-mock-provider [options]
  --port N          port to listen on (default 4010; 0 picks a free one)
  --host HOST       interface to bind (default 127.0.0.1)
  --rpm N           default requests per minute of every key
  --tpm N           default tokens per minute of every key
  --concurrency N   default requests in flight per key
  --latency MS      fixed latency of every admitted request (default 0)
  --jitter MS       extra uniform latency in [0, MS) (default 0)
  --seed N          seed of the jitter generator (default 1)
  --config FILE     JSON: { "keys": { "<key>": { "rpm", "tpm", "concurrency" } }, "defaultLimits": {...} }
                    or keys sharing a budget: "organizations": { "<org>": { "rpm", "tpm" } } and
                    "keys": { "<key>": { "organization": "<org>", "project": "<project>" } }
  --script LIST     global scripted statuses, e.g. 429,429,200
  -h, --help        show this help`;

export interface CliConfig {
  options: StartMockProviderOptions;
  script: number[];
  help: boolean;
}

/** Turns argv into validated options; throws one-line errors naming the flag at fault. */
export function parseCliArguments(argv: readonly string[]): CliConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      concurrency: { type: 'string' },
      latency: { type: 'string' },
      jitter: { type: 'string' },
      seed: { type: 'string' },
      config: { type: 'string' },
      script: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const config = values.config === undefined ? {} : readConfig(values.config);
  const defaultLimits = { ...(config.defaultLimits as object | undefined) } as Record<
    string,
    number
  >;
  for (const flag of ['rpm', 'tpm', 'concurrency'] as const) {
    const value = values[flag];
    if (value !== undefined)
      defaultLimits[flag] = assertPositiveInteger(`--${flag}`, number(value));
  }
  const options: StartMockProviderOptions = {
    port: values.port === undefined ? 4010 : port(values.port),
    host: values.host ?? '127.0.0.1',
    keys: config.keys as StartMockProviderOptions['keys'],
    organizations: config.organizations as StartMockProviderOptions['organizations'],
    defaultLimits,
    latency: {
      fixedMs: assertNonNegativeNumber('--latency', number(values.latency ?? '0')),
      jitterMs: assertNonNegativeNumber('--jitter', number(values.jitter ?? '0')),
    },
    seed: values.seed === undefined ? 1 : number(values.seed),
  };
  // Validate everything now, so a bad config file fails before the port is taken.
  const { port: _port, host: _host, ...providerOptions } = options;
  resolveOptions(providerOptions);
  const script = (values.script ?? '')
    .split(',')
    .filter((item) => item.trim() !== '')
    .map((item, index) => resolveOutcome(`--script[${index}]`, number(item)).status);
  return { options, script, help: values.help === true };
}

function readConfig(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read --config ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    throw new Error(`Expected --config ${path} to contain JSON`);
  }
  const object = assertPlainObject('--config', config);
  const unknown = Object.keys(object).find(
    (field) => field !== 'keys' && field !== 'organizations' && field !== 'defaultLimits',
  );
  if (unknown !== undefined)
    throw new Error(
      `Unknown field \`${unknown}\` in --config ${path}; expected keys, organizations, defaultLimits`,
    );
  return object;
}

/** Numbers only in plain decimal; `Number('')` and `Number('0x10')` would slip through. */
function number(text: string): number {
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
}

function port(text: string): number {
  const value = number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new TypeError(
      `Expected \`--port\` to be an integer from 0 to 65535, got ${describeValue(text)}`,
    );
  }
  return value;
}
