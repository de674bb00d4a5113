#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { defaultRules, loadConfigFile } from './config/index.js';
import { rulesFile } from './prometheus/rules-file.js';
import { startCollector } from './start-collector.js';
import type { Rule } from './storage/types.js';

const USAGE = `usage: headroom start [--port 4800] [--host 127.0.0.1] [--allowed-host NAME]... [--token T] [--data .headroom] [--config headroom.yaml] [--max-series 50000] [--key-attribute NAME]... [--allow-private-webhooks]
       headroom rules [--config headroom.yaml] [--over sdk|collector] [--interval 15s]`;

function fail(message: string): never {
  process.stderr.write(`headroom: ${message}\n${USAGE}\n`);
  process.exit(2);
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** A command's flags, strictly; undefined once `--help` printed the usage. A bad flag exits 2. */
function flags(args: string[], options: Options) {
  let values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message.split('\n')[0]!);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return undefined;
  }
  return values;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    if (command === undefined) process.exit(2);
    return;
  }
  if (command === 'rules') return rules(rest);
  if (command !== 'start') fail(`unknown command ${JSON.stringify(command)}`);
  const values = flags(rest, {
    port: { type: 'string', default: '4800' },
    host: { type: 'string', default: '127.0.0.1' },
    'allowed-host': { type: 'string', multiple: true },
    'key-attribute': { type: 'string', multiple: true },
    token: { type: 'string' },
    data: { type: 'string', default: '.headroom' },
    config: { type: 'string' },
    'allow-private-webhooks': { type: 'boolean', default: false },
    'max-series': { type: 'string' },
  });
  if (values === undefined) return;
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`);
  const allowedHosts = ((values['allowed-host'] as string[] | undefined) ?? []).flatMap((names) =>
    names
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  );
  for (const name of allowedHosts) {
    if (!/^\.?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i.test(name))
      fail(
        `--allowed-host takes a host name such as collector.internal or .example.com, got ${JSON.stringify(name)}`,
      );
  }
  const maxSeries = values['max-series'] === undefined ? undefined : Number(values['max-series']);
  if (maxSeries !== undefined && (!Number.isSafeInteger(maxSeries) || maxSeries < 1))
    fail(
      `--max-series must be a whole number from 1 up, got ${JSON.stringify(values['max-series'])}`,
    );
  const token = (values.token as string | undefined) ?? process.env.HEADROOM_TOKEN;
  // A reader of our output that went away (`| head`, a parent that closed the pipe) must not
  // take the collector down with an EPIPE: the lines are lost, the collector goes on.
  process.stdout.on('error', () => {});
  const log = (line: string) => process.stdout.write(`headroom: ${line}\n`);
  let running: Awaited<ReturnType<typeof startCollector>>;
  try {
    running = await startCollector({
      port,
      host: values.host as string,
      allowedHosts,
      data: values.data as string,
      ...(values.config ? { config: values.config as string } : {}),
      ...(token ? { token } : {}),
      allowPrivateWebhooks: values['allow-private-webhooks'] === true,
      ...(maxSeries === undefined ? {} : { limits: { series: maxSeries } }),
      keyAttributes: (values['key-attribute'] as string[] | undefined) ?? [],
      log,
    });
  } catch (error) {
    process.stderr.write(`headroom: ${(error as Error).message}\n`);
    process.exit(1);
  }
  log(
    `collector listening on ${running.url} (OTLP/HTTP at ${running.url}/v1/metrics and /v1/traces)`,
  );
  const stop = async (signal: string) => {
    log(`${signal}: stopping`);
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * `headroom rules`: the Prometheus rules file for the default rules and a config file's rules and
 * ceilings, on stdout, with no collector running (what `GET /api/prometheus-rules` serves).
 */
function rules(args: string[]): void {
  const values = flags(args, {
    config: { type: 'string' },
    over: { type: 'string', default: 'sdk' },
    interval: { type: 'string', default: '15s' },
  });
  if (values === undefined) return;
  const over = values.over as string;
  if (over !== 'sdk' && over !== 'collector')
    fail(`--over takes sdk or collector, got ${JSON.stringify(over)}`);
  const interval = values.interval as string;
  if (!/^[1-9][0-9]*(ms|s|m|h)$/.test(interval))
    fail(
      `--interval takes a Prometheus duration such as 15s or 1m, got ${JSON.stringify(interval)}`,
    );
  const now = Date.now();
  let configured: ReturnType<typeof loadConfigFile> | undefined;
  try {
    configured =
      values.config === undefined ? undefined : loadConfigFile(values.config as string, { now });
  } catch (error) {
    process.stderr.write(`headroom: ${(error as Error).message}\n`);
    process.exit(1);
  }
  // As a collector started with the file holds them: the defaults, then the file's by id.
  const byId = new Map<string, Rule>();
  for (const rule of [...defaultRules(now), ...(configured?.rules ?? [])]) byId.set(rule.id, rule);
  const all = [...byId.values()];
  process.stdout.on('error', () => {});
  process.stdout.write(rulesFile(over, all, configured?.ceilings ?? [], interval));
}

void main(process.argv.slice(2));
