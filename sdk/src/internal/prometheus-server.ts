import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { reportFault } from './fault.js';

export interface PrometheusServer {
  /** `http://host:port/endpoint`, once listening; undefined if it could not listen. */
  url: Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * Serves the exporter's Prometheus text from a server of our own rather than the exporter's, so
 * that `port: 0` works and the bound address can be told. A port that cannot be bound is a
 * telemetry fault, logged once: the app goes on.
 */
export function servePrometheus(
  exporter: PrometheusExporter,
  {
    host = '127.0.0.1',
    port = 9464,
    endpoint = '/metrics',
  }: { host?: string; port?: number; endpoint?: string },
): PrometheusServer {
  const path = endpoint.startsWith('/') ? endpoint : `/${endpoint}`;
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url?.split('?')[0] === path) {
      exporter.getMetricsRequestHandler(request, response);
      return;
    }
    response.statusCode = 404;
    response.end(`Not found: Prometheus metrics are at ${path}\n`);
  });
  // The app decides whether the process lives; a scrape endpoint must not keep it alive.
  server.unref();
  const url = new Promise<string | undefined>((resolve) => {
    server.once('error', (error) => {
      reportFault('prometheus endpoint', error);
      resolve(undefined);
    });
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}${path}`);
    });
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) resolve();
        else server.close(() => resolve());
      }),
  };
}
