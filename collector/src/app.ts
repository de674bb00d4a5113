import { randomBytes } from 'node:crypto';
import { describeValue } from '@headroom/contract';
import { Hono } from 'hono';
import { bodyLimit as limitBody } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Collector } from './collector.js';
import { httpError } from './http-error.js';
import { allowedHosts } from './middleware/allowed-hosts.js';
import { AuthFailures, type AuthFailuresOptions } from './middleware/auth-failures.js';
import { requireToken } from './middleware/require-token.js';
import { sameOriginWrites } from './middleware/same-origin-writes.js';
import { securityHeaders } from './middleware/security-headers.js';
import { validUri } from './middleware/valid-uri.js';
import { OtlpDecodeError } from './otlp/index.js';
import { rulesFile } from './prometheus/rules-file.js';
import { alertsRoute } from './routes/alerts-route.js';
import { configRoutes } from './routes/config-routes.js';
import { dashboardRoute } from './routes/dashboard-route.js';
import { historyRoute } from './routes/history-route.js';
import { incidentsRoute } from './routes/incidents-route.js';
import { type LiveOptions, liveRoute } from './routes/live.js';
import { otlpRoute } from './routes/otlp.js';
import { prometheusText } from './routes/prometheus-text.js';

export interface AppOptions {
  /** With a token, ingest, the API and /metrics need `Authorization: Bearer <token>`. */
  token?: string;
  /** Largest OTLP request body, before and after gzip. Default 16 MiB. */
  bodyLimit?: number;
  /** Largest body of an API request (ceilings, rules, webhooks). Default 64 KiB. */
  apiBodyLimit?: number;
  /**
   * Host names served besides loopback names and IP addresses (`name`, or `.domain` for every
   * name under it); any other Host gets a 403 before a route runs.
   */
  allowedHosts?: readonly string[];
  /**
   * The secret the dashboard's session cookie is derived under (with the token); random per app
   * by default, so a restart signs the dashboard out unless the caller keeps one.
   */
  sessionSecret?: string | Uint8Array;
  /** How fast wrong tokens are forgiven per client (token mode). */
  authFailures?: AuthFailuresOptions;
  /** The built dashboard served at `/`; undefined shows how to build it. */
  dashboardDirectory?: string;
  /** Pacing of `/api/live`. */
  live?: LiveOptions;
  /** Where unexpected errors are reported; they answer 500 and the server goes on. */
  onUnexpectedError?: (error: unknown) => void;
}

/** The collector's HTTP surface, as a Hono app: tests drive it with `app.request(...)`. */
export function createApp(
  collector: Collector,
  {
    token,
    bodyLimit = 16 * 1024 * 1024,
    apiBodyLimit = 64 * 1024,
    allowedHosts: hosts = [],
    sessionSecret = randomBytes(32),
    authFailures,
    live,
    dashboardDirectory,
    onUnexpectedError,
  }: AppOptions = {},
): Hono {
  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: error.message }, error.status);
    if (error instanceof OtlpDecodeError)
      return c.json({ error: error.message }, error.status as ContentfulStatusCode);
    onUnexpectedError?.(error);
    return c.json({ error: 'internal error' }, 500);
  });
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));

  // Outermost first: every answer, refusals included, carries the security headers.
  app.use('*', securityHeaders());
  app.use('*', validUri());
  app.use('*', allowedHosts({ hosts }));
  const tooLarge = (limit: number) => () => {
    throw httpError(413, `body is over the ${limit}-byte limit`);
  };
  // Counted while reading, so a chunked body without a length stops at the limit too.
  app.use('/v1/*', limitBody({ maxSize: bodyLimit, onError: tooLarge(bodyLimit) }));
  app.use('/api/*', limitBody({ maxSize: apiBodyLimit, onError: tooLarge(apiBodyLimit) }));

  app.get('/healthz', (c) =>
    c.json({
      status: 'ok',
      uptimeSeconds: Math.floor((collector.view.now() - collector.view.startedAt) / 1000),
      points: collector.view.points,
      spans: collector.view.spans,
      // What the view holds against its limits, and what the limits turned away.
      held: collector.view.held(),
      limits: collector.view.limits,
      dropped: collector.view.dropped(),
    }),
  );

  const failures = new AuthFailures({ now: collector.view.now, ...authFailures });
  const guard = requireToken({ token, sessionSecret, failures });
  app.use('/v1/*', guard);
  app.use('/api/*', guard);
  app.use('/metrics', guard);
  app.use('/api/*', sameOriginWrites());
  app.post('/v1/metrics', otlpRoute(collector, 'metrics', bodyLimit));
  app.post('/v1/traces', otlpRoute(collector, 'traces', bodyLimit));
  app.get('/api/snapshot', (c) => c.json(collector.snapshot()));
  app.get('/api/live', liveRoute(collector, live));
  app.get('/api/history', historyRoute(collector));
  app.get('/api/alerts', alertsRoute(collector));
  app.get('/api/incidents', incidentsRoute(collector));
  if (collector.store) app.route('/api', configRoutes(collector, collector.store));
  // Over the replicas' own metrics by default (no collector in Prometheus's path); over this
  // collector's `/metrics` with `?over=collector`.
  app.get('/api/prometheus-rules', (c) => {
    const over = c.req.query('over') ?? 'sdk';
    if (over !== 'sdk' && over !== 'collector')
      throw httpError(
        400,
        `Expected \`over\` to be \`sdk\` or \`collector\`, got ${describeValue(over)}`,
      );
    return c.body(rulesFile(over, collector.rules, collector.ceilings), 200, {
      'content-type': 'application/yaml; charset=utf-8',
    });
  });
  app.get('/metrics', (c) =>
    c.body(prometheusText(collector.snapshot(), collector.activeAlerts(), collector), 200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    }),
  );
  // Unknown API paths are API errors, not the page.
  app.all('/api/*', (c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  // The page and its assets: everything not matched above. The API stays behind the token;
  // the static page holds no data of its own.
  app.get(
    '*',
    dashboardRoute(
      dashboardDirectory,
      token === undefined ? undefined : { token, secret: sessionSecret, failures },
    ),
  );
  return app;
}
