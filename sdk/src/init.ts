import { Headroom } from './headroom.js';
import { HeadroomInstrumentation } from './instrumentation.js';
import { describe } from './internal/describe.js';
import { appPipeline, NO_PIPELINE, ownPipeline } from './internal/pipeline.js';
import type { HeadroomOptions } from './types.js';

/**
 * Starts Headroom: builds (or adopts) the OpenTelemetry pipeline and returns the handle to
 * instrument clients and graphs with. Call it once at start-up, before the app's first model call.
 * A bad option throws here, with the option named; what is recorded later never throws into the app.
 */
export function init(options: HeadroomOptions = {}): Headroom {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(
      `Expected \`options\` to be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
  if (options.prometheus) {
    const port = options.prometheus.port;
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
      throw new TypeError(
        `Expected \`prometheus.port\` to be an integer from 0 to 65535, got ${describe(port)}`,
      );
    }
  }
  if (
    options.protocol !== undefined &&
    options.protocol !== 'http/protobuf' &&
    options.protocol !== 'http/json'
  ) {
    throw new TypeError(
      `Expected \`protocol\` to be 'http/protobuf' or 'http/json', got ${describe(options.protocol)}`,
    );
  }
  if (
    typeof options.collectorUrl === 'string' &&
    options.collectorUrl !== '' &&
    !URL.canParse(options.collectorUrl)
  ) {
    throw new TypeError(
      `Expected \`collectorUrl\` to be a URL, got ${describe(options.collectorUrl)}`,
    );
  }
  // OTEL_SDK_DISABLED=true (OpenTelemetry's switch for the whole SDK): Headroom records and
  // exports nothing, registers and patches nothing, and every instrumented call passes through.
  const disabled = sdkDisabled();
  const instrumentation = new HeadroomInstrumentation({
    enabled: false,
    captureContent: options.captureContent,
    tenant: options.tenant,
    hooks: options.hooks,
    semconvStabilityOptIn: options.semconvStabilityOptIn,
    guardClock: options.guardClock,
  });
  const telemetry = instrumentation.telemetry;
  if (disabled) {
    telemetry.enabled = false;
    return new Headroom(telemetry, NO_PIPELINE);
  }
  const pipeline =
    options.tracerProvider || options.meterProvider
      ? appPipeline(options, instrumentation)
      : ownPipeline(options, instrumentation);
  const headroom = new Headroom(telemetry, pipeline);
  if (options.autoInstrument) {
    instrumentation.enable();
    headroom.addUndo(() => instrumentation.disable());
  }
  return headroom;
}

/** Whether `OTEL_SDK_DISABLED` is `true` (any case), as the OpenTelemetry environment spec reads it. */
export function sdkDisabled(): boolean {
  return process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
}
