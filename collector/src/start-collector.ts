import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { dashboardDirectory } from '@headroom/dashboard';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { Collector } from './collector.js';
import { defaultRules, loadConfigFile } from './config/index.js';
import { checkListenAddress } from './listen-address.js';
import {
  openStore,
  ROLLUP_RETENTION_MS,
  type Store,
  TRANSITION_RETENTION_MS,
} from './storage/index.js';
import type { Limits } from './view/limits.js';

export interface StartOptions {
  port?: number;
  host?: string;
  token?: string;
  /** Directory of the SQLite store; omitted, nothing outlives the process. */
  data?: string;
  /** `headroom.yaml` (or .json): ceilings, rules and webhooks applied at start. */
  config?: string;
  bodyLimit?: number;
  /** How much the live view holds of each kind; defaults in DEFAULT_LIMITS (`--max-series` sets `series`). */
  limits?: Partial<Limits>;
  now?: () => number;
  /** One line per notable event. */
  log?: (line: string) => void;
}

export interface RunningCollector {
  url: string;
  port: number;
  collector: Collector;
  close(): Promise<void>;
}

/** Starts the collector's HTTP server (port 0: any free port). */
export async function startCollector({
  port = 4800,
  host = '127.0.0.1',
  token,
  data,
  config,
  bodyLimit,
  limits,
  now,
  log = () => {},
}: StartOptions = {}): Promise<RunningCollector> {
  checkListenAddress(host, token);
  // Read the config before opening anything, so a bad file stops start-up with nothing to undo.
  const configured =
    config === undefined
      ? undefined
      : loadConfigFile(config, { now: Math.floor((now ?? Date.now)()) });
  const store = data === undefined ? undefined : openStore(data);
  if (store) prepareStore(store, configured, Math.floor((now ?? Date.now)()), log);
  const collector = new Collector({
    ...(now ? { now } : {}),
    ...(store ? { store } : {}),
    ...(limits ? { limits } : {}),
    log,
  });
  const reported = new Set<string>();
  const app = createApp(collector, {
    ...(token === undefined ? {} : { token }),
    ...(bodyLimit === undefined ? {} : { bodyLimit }),
    ...(existsSync(join(dashboardDirectory, 'index.html')) ? { dashboardDirectory } : {}),
    onUnexpectedError: (error) => {
      const message = error instanceof Error ? error.message : String(error);
      if (reported.has(message)) return;
      reported.add(message);
      log(`unexpected error (answered 500, still serving): ${message}`);
    },
  });
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const started = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(started));
      started.once('error', reject);
    });
  } catch (error) {
    store?.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  // Alerts once a second; rollups and pruning once a minute. A fault here is logged, never fatal.
  const guarded = (what: string, task: () => void) => () => {
    try {
      task();
    } catch (error) {
      log(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const evaluate = setInterval(
    guarded('alert evaluation', () => collector.evaluate()),
    1000,
  );
  const prune = setInterval(
    guarded('rollup', () => {
      collector.rollup();
      collector.view.prune();
      const at = Date.now();
      store?.pruneRollups(at - ROLLUP_RETENTION_MS);
      store?.pruneTransitions(at - TRANSITION_RETENTION_MS);
    }),
    60_000,
  );
  evaluate.unref();
  prune.unref();
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    collector,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(prune);
        clearInterval(evaluate);
        server.close(() => {
          void collector.idle().finally(() => {
            store?.close();
            resolve();
          });
        });
        // Live streams and keep-alive sockets would hold close() open indefinitely.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/**
 * First start: the built-in rules. Every start: the config file's items, by their stable ids, so
 * a restart updates them rather than adding copies; what was set through the API stays.
 */
function prepareStore(
  store: Store,
  configured: ReturnType<typeof loadConfigFile> | undefined,
  now: number,
  log: (line: string) => void,
): void {
  if (store.listRules().length === 0) {
    for (const rule of defaultRules(now)) store.putRule(rule);
    log(`installed ${defaultRules(now).length} default alert rules`);
  }
  if (configured === undefined) return;
  for (const ceiling of configured.ceilings) store.putCeiling(ceiling);
  for (const rule of configured.rules) store.putRule(rule);
  for (const webhook of configured.webhooks) store.putWebhook(webhook);
  log(
    `applied config: ${configured.ceilings.length} ceilings, ${configured.rules.length} rules, ${configured.webhooks.length} webhooks`,
  );
}
