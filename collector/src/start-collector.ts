import { existsSync } from 'node:fs';
import { type AddressInfo, isIP } from 'node:net';
import { join } from 'node:path';
import { dashboardDirectory } from '@headroom/dashboard';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { Collector } from './collector.js';
import { defaultRules, loadConfigFile } from './config/index.js';
import { checkListenAddress } from './listen-address.js';
import { sessionSecret } from './session-secret.js';
import {
  openStore,
  ROLLUP_RETENTION_MS,
  type Store,
  TRANSITION_RETENTION_MS,
} from './storage/index.js';
import type { Limits } from './view/limits.js';

/** Open connections at most: replicas keep one or two each, dashboards one per tab. */
const MAX_CONNECTIONS = 10_000;

export interface StartOptions {
  port?: number;
  host?: string;
  token?: string;
  /** Directory of the SQLite store; omitted, nothing outlives the process. */
  data?: string;
  /** `headroom.yaml` (or .json): ceilings, rules and webhooks applied at start. */
  config?: string;
  bodyLimit?: number;
  /**
   * Host names served besides loopback names and IP addresses (`name`, or `.domain` for all
   * under it). The name given as `host`, when it is one, is always served.
   */
  allowedHosts?: readonly string[];
  /**
   * Lets webhooks target loopback, private and carrier-grade NAT addresses (`--allow-private-webhooks`),
   * for receivers on this machine or network; link-local (cloud metadata) and unspecified stay refused.
   */
  allowPrivateWebhooks?: boolean;
  /** How much the live view holds of each kind; defaults in DEFAULT_LIMITS (`--max-series` sets `series`). */
  limits?: Partial<Limits>;
  /**
   * Attributes (of a point or its resource) that name the key of data without `headroom.key`,
   * the first present winning (`--key-attribute`).
   */
  keyAttributes?: readonly string[];
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
  allowedHosts = [],
  allowPrivateWebhooks = false,
  limits,
  keyAttributes,
  now,
  log = () => {},
}: StartOptions = {}): Promise<RunningCollector> {
  checkListenAddress(host, token);
  // Read the config before opening anything, so a bad file stops start-up with nothing to undo.
  const configured =
    config === undefined
      ? undefined
      : loadConfigFile(config, { now: Math.floor((now ?? Date.now)()), allowPrivateWebhooks });
  const store = data === undefined ? undefined : openStore(data);
  if (store) prepareStore(store, configured, Math.floor((now ?? Date.now)()), log);
  const collector = new Collector({
    ...(now ? { now } : {}),
    ...(store ? { store } : {}),
    allowPrivateWebhooks,
    ...(limits ? { limits } : {}),
    ...(keyAttributes ? { keyAttributes } : {}),
    log,
  });
  const reported = new Set<string>();
  const app = createApp(collector, {
    ...(token === undefined ? {} : { token }),
    allowedHosts: isIP(host) === 0 ? [...allowedHosts, host] : allowedHosts,
    sessionSecret: sessionSecret(data),
    ...(bodyLimit === undefined ? {} : { bodyLimit }),
    ...(existsSync(join(dashboardDirectory, 'index.html')) ? { dashboardDirectory } : {}),
    onUnexpectedError: (error) => {
      const message = error instanceof Error ? error.message : String(error);
      // Said once per message, and at most 100 of them: a flood of new ones must not fill memory.
      if (reported.has(message) || reported.size >= 100) return;
      reported.add(message);
      log(`unexpected error (answered 500, still serving): ${message}`);
    },
  });
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const started = serve(
        {
          fetch: app.fetch,
          port,
          hostname: host,
          // A client that sends its headers or body a byte at a time gives up its socket
          // (slowloris); live streams are responses, so these bound only the request side.
          serverOptions: { headersTimeout: 10_000, requestTimeout: 60_000 },
        },
        () => resolve(started),
      );
      // Sockets are memory: past this many, new connections are refused until some close.
      started.maxConnections = MAX_CONNECTIONS;
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
      store?.pruneIncidents(at - TRANSITION_RETENTION_MS);
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
