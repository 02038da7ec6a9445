export type {
  CloseIncidentInput,
  DaemonHeartbeat,
  JobRecord,
  OutboxEntry,
  OutboxKind,
  IncidentFilter,
  IncidentNoteInput,
  IncidentStepUpdate,
  ObligationMetInput,
  OpenIncidentInput,
  PlaybookExerciseInput,
  PlaybookReviewInput,
  FindingChanges,
  FindingFilter,
  FindingRecord,
  GithubLink,
  LatestEndpoint,
  ReportRecord,
  RunDetail,
  RunSummary,
  Store,
  StoredCheckStatus,
  StoredEndpoint,
  StoredEndpointStatus,
  StoredFindingInput,
  StoredRunInput,
  TrackedFinding,
  TrackedFindingFilter,
  UnwaiveInput,
  WaiveInput,
  WaiverFilter,
  WaiverListing,
} from './store.js';
export { DATABASE_FILE, openStore } from './sqlite-store.js';
export type { OpenStoreOptions } from './sqlite-store.js';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export type { Migration } from './migrations.js';
export { WaiverError } from './waiver-error.js';
export type { WaiverErrorCode } from './waiver-error.js';
export { MAX_WAIVER_DAYS } from './waiver-rules.js';
export { canonicalJson, detailsHash } from './details-hash.js';
export { IncidentError } from './incident-error.js';
export type { IncidentErrorCode } from './incident-error.js';
