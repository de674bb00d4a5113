export { CeilingConflictError } from './ceiling-conflict-error.js';
export { SCHEMA_VERSION } from './migrations.js';
export { openStore, STORE_FILE_NAME } from './open-store.js';
export { ROLLUP_RETENTION_MS, TRANSITION_RETENTION_MS } from './retention.js';
export type { RollupQuery, Store, TransitionQuery } from './store.js';
export type * from './types.js';
