export type { Store } from './store.js';
export type {
  DiscoveredNameInput,
  DiscoveredNameRecord,
  DiscoveryRepository,
} from './discovery-repository.js';
export type * from './run-repository.js';
export type {
  FindingChanges,
  FindingFilter,
  FindingRepository,
  TrackedFinding,
  TrackedFindingFilter,
} from './finding-repository.js';
export type { WaiverFilter, WaiverListing, WaiverRepository } from './waiver-repository.js';
export type { ReportRecord, ReportRepository } from './report-repository.js';
export type {
  ChangeCounts,
  ChangesHead,
  FindingPage,
  ReportQueryRepository,
} from './report-query-repository.js';
export type {
  OutboxEntry,
  OutboxFilter,
  OutboxKind,
  OutboxRepository,
  OutboxReservation,
} from './outbox-repository.js';
export type {
  DaemonHeartbeat,
  DaemonRepository,
  JobOutcome,
  JobRecord,
  LeaseHolder,
} from './daemon-repository.js';
export type {
  PlaybookExerciseInput,
  PlaybookRepository,
  PlaybookReviewInput,
} from './playbook-repository.js';
export type * from './incident-repository.js';
export type { GithubLink, GithubLinkRepository } from './github-link-repository.js';
// Kept here for the store's callers: these are the domain's (lifecycle records and waiver rules).
export type {
  FindingRecord,
  StoredCheckStatus,
  StoredEndpointStatus,
  StoredFindingInput,
  UnwaiveInput,
  WaiveInput,
  WaiverErrorCode,
} from '../domain/index.js';
export { canonicalJson, detailsHash, MAX_WAIVER_DAYS, WaiverError } from '../domain/index.js';
export { DATABASE_FILE, openStore, storeExists } from './sqlite/open-store.js';
export type { OpenStoreOptions } from './sqlite/open-store.js';
export { MIGRATIONS, SCHEMA_VERSION } from './sqlite/migrations.js';
export type { Migration } from './sqlite/migrations.js';
export { IncidentError } from './incident-error.js';
export type { IncidentErrorCode } from './incident-error.js';
export { copyStore, openStoreAt } from './open-store-at.js';
export type { StoreCopyResult, TableCopyReport } from './copy-store.js';
export { describeLocation, isPostgresUrl, parseStoreLocation, postgresLocation } from './store-location.js';
export type { StoreLocation } from './store-location.js';
export { grantOrganisationAccess } from './organisation-access.js';
export type { OrganisationAccess, OrganisationAccessRequest } from './organisation-access.js';
