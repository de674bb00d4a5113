export { type AppOptions, createApp } from './app.js';
export { matchCeilings } from './ceilings/match-ceilings.js';
export { Collector, type CollectorOptions } from './collector.js';
export { isLoopback } from './listen-address.js';
export { prometheusText } from './routes/prometheus-text.js';
export { type RunningCollector, type StartOptions, startCollector } from './start-collector.js';
export { DEFAULT_LIMITS, type Dropped, type Limits } from './view/limits.js';
export {
  type KeyView,
  type NodeView,
  type Snapshot,
  snapshot,
  WINDOW_SECONDS,
} from './view/snapshot.js';
export { View } from './view/view.js';
