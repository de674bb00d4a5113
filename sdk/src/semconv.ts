/**
 * Attribute and instrument names, as the SDK's public API exports them. They are written once, in
 * `@headroom/contract/semconv`, which the collector reads them from too; that module imports
 * nothing (no zod on the SDK's path).
 */
export * from '@headroom/contract/semconv';
