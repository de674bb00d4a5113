#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startCollector } from './start-collector.js';

const USAGE = `usage: headroom start [--port 4800] [--host 127.0.0.1] [--allowed-host NAME]... [--token T] [--data .headroom] [--config headroom.yaml] [--max-series 50000] [--key-attribute NAME]... [--allow-private-webhooks]`;

function fail(message: string): never {
  process.stderr.write(`headroom: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    if (command === undefined) process.exit(2);
    return;
  }
  if (command !== 'start') fail(`unknown command ${JSON.stringify(command)}`);
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        port: { type: 'string', default: '4800' },
        host: { type: 'string', default: '127.0.0.1' },
        'allowed-host': { type: 'string', multiple: true },
        'key-attribute': { type: 'string', multiple: true },
        token: { type: 'string' },
        data: { type: 'string', default: '.headroom' },
        config: { type: 'string' },
        'allow-private-webhooks': { type: 'boolean', default: false },
        'max-series': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message.split('\n')[0]!);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
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

void main(process.argv.slice(2));
