/**
 * DataPointFlags.FLAG_NO_RECORDED_VALUE (opentelemetry/proto/metrics/v1/metrics.proto): the point
 * is a staleness marker, not a measurement, so the decoders drop it.
 */
export const NO_RECORDED_VALUE = 1;
