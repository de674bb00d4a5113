/** What one rule reads from one series in one snapshot; the engine turns it into state. */
export interface Measurement {
  series: string;
  value: number;
  /** The threshold the value is compared with, as the transition records it. */
  threshold: number;
  /** The rule's condition holds now: raises (or keeps) the alert. */
  condition: boolean;
  /** The value is past the hysteresis margin: the alert may resolve. */
  cleared: boolean;
  /** How long `cleared` must hold, without a break, before the alert resolves. */
  clearAfterSeconds: number;
}

/**
 * Seconds an alert must stay clear before it resolves. The margin alone stops a value that
 * hovers at the threshold; this stops one that jumps across the margin every second from
 * writing a transition every second (and a webhook every other).
 */
export const CLEAR_AFTER_SECONDS = 5;

/** A zero threshold (any 429) has no margin to fall below, so it waits longer at exactly zero. */
export const ZERO_THRESHOLD_CLEAR_AFTER_SECONDS = 10;

interface HigherIsWorse {
  series: string;
  value: number;
  threshold: number;
  clearMargin: number;
  /** `>=` (utilization) rather than `>` (counts and ratios). */
  inclusive?: boolean;
  /** An extra precondition, e.g. enough calls for a ratio to mean something. */
  enough?: boolean;
}

/** The common shape: the condition is value above threshold; it clears below threshold × (1 − margin). */
export function higherIsWorse({
  series,
  value,
  threshold,
  clearMargin,
  inclusive = false,
  enough = true,
}: HigherIsWorse): Measurement {
  const above = inclusive ? value >= threshold : value > threshold;
  return {
    series,
    value,
    threshold,
    condition: enough && above,
    cleared: threshold > 0 ? value < threshold * (1 - clearMargin) : value <= 0,
    clearAfterSeconds: threshold > 0 ? CLEAR_AFTER_SECONDS : ZERO_THRESHOLD_CLEAR_AFTER_SECONDS,
  };
}
