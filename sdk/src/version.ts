/** Kept in step with package.json by the build check in version.test.ts. */
export const VERSION = '0.1.0';

/** The instrumentation scope of everything Headroom records. */
export const SCOPE_NAME = '@headroom/sdk';
