/**
 * Standard names the collector reads that Headroom's SDK does not write itself: the resource
 * attributes OpenTelemetry's resource detection sets on every process (one replica each), and the
 * provider attribute of older GenAI senders. Kept apart from `./semconv.js`, which is exactly what
 * the SDK exports, so its public API does not grow names it never writes.
 */

/** Resource: the app. Replicas of one app share it. */
export const ATTR_SERVICE_NAME = 'service.name';
/** Resource: one process, one replica. */
export const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';
/**
 * The provider as GenAI semantic conventions before 1.37 named it (`gen_ai.provider.name` since),
 * still sent by older instrumentations and other languages' SDKs.
 */
export const ATTR_GEN_AI_SYSTEM = 'gen_ai.system';
