export { getHeadroom } from './global.js';
export type { Priority } from './guard/fair-queue.js';
export { type GuardRejection, HeadroomGuardError } from './guard/guard-error.js';
export type { GuardOptions } from './guard/options.js';
export { Headroom } from './headroom.js';
export { init } from './init.js';
export {
  HeadroomInstrumentation,
  type HeadroomInstrumentationConfig,
} from './instrumentation.js';
export { HeadroomOptionsError } from './internal/describe.js';
export * from './semconv.js';
export type {
  CallEndEvent,
  GraphOptions,
  HeadroomHooks,
  HeadroomOptions,
  InstrumentOptions,
  NodeOptions,
  RunOptions,
  TrackCallOptions,
  TrackedCall,
} from './types.js';
export { VERSION } from './version.js';
