import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { assertPlainObject, describeValue } from './assert-option.js';
import { createMockProvider, type MockProviderControls } from './create-mock-provider.js';
import type { StartMockProviderOptions } from './options.js';

export interface MockProvider extends MockProviderControls {
  /** `http://host:port`, no trailing slash. OpenAI clients take `url + '/v1'`, Anthropic ones `url`. */
  url: string;
  port: number;
  host: string;
  /** Stops listening and drops open connections, streams included. Safe to call twice. */
  close(): Promise<void>;
}

export async function startMockProvider({
  port = 0,
  host = '127.0.0.1',
  ...options
}: StartMockProviderOptions = {}): Promise<MockProvider> {
  assertPlainObject('options', options);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(
      `Expected \`port\` to be an integer from 0 to 65535, got ${describeValue(port)}`,
    );
  }
  if (typeof host !== 'string' || host === '') {
    throw new TypeError(`Expected \`host\` to be a non-empty string, got ${describeValue(host)}`);
  }
  const { app, ...controls } = createMockProvider(options);
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port, hostname: host }, () => {
      started.off('error', reject);
      resolve(started as Server);
    });
    started.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    ...controls,
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
