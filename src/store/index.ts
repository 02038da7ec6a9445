export type {
  FindingFilter,
  FindingRecord,
  RunDetail,
  RunSummary,
  Store,
  StoredCheckStatus,
  StoredEndpoint,
  StoredEndpointStatus,
  StoredFindingInput,
  StoredRunInput,
} from './store.js';
export { DATABASE_FILE, openStore } from './sqlite-store.js';
export type { OpenStoreOptions } from './sqlite-store.js';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export type { Migration } from './migrations.js';
