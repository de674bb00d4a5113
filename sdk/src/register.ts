/**
 * Zero-code start: `node --import @headroom/sdk/register app.js` (ESM or CommonJS apps).
 * Configured by the environment (`OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_ENDPOINT`,
 * `OTEL_TRACES_SAMPLER`, `HEADROOM_COLLECTOR_URL`, `HEADROOM_TOKEN`, `HEADROOM_PROMETHEUS_PORT`, …);
 * patches model clients and graphs as the app loads them. The app can reach the instance with
 * `getHeadroom()`.
 */
import { register } from 'node:module';
import { setHeadroom } from './global.js';
import { init } from './init.js';

// ESM imports are only visible to a loader hook registered before the app's first import.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const prometheusPort = process.env.HEADROOM_PROMETHEUS_PORT;
const headroom = init({
  autoInstrument: true,
  ...(prometheusPort ? { prometheus: { port: Number(prometheusPort) } } : {}),
});
setHeadroom(headroom);

// Flush what is left when the app ends on its own; an app that calls process.exit or handles
// signals calls `getHeadroom()?.shutdown()` itself.
process.once('beforeExit', () => {
  void headroom.shutdown();
});
