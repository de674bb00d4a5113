/**
 * `@headroom/contract`: what the SDK, the collector and the dashboard agree on, written once.
 * - `./semconv`: attribute and instrument names, buckets, outcomes (imports nothing; the SDK's
 *   only import from here).
 * - `./api`: the zod schemas of the collector's API and their one-line refusals.
 * - `./wire`: the types of what the API and the live stream answer with.
 */
export * from './api/index.js';
export * from './received-names.js';
export * from './semconv.js';
export type * from './wire/index.js';
