import type { DaemonRepository } from './daemon-repository.js';
import type { DiscoveryRepository } from './discovery-repository.js';
import type { FindingRepository } from './finding-repository.js';
import type { GithubLinkRepository } from './github-link-repository.js';
import type { IncidentRepository } from './incident-repository.js';
import type { OutboxRepository } from './outbox-repository.js';
import type { PlaybookRepository } from './playbook-repository.js';
import type { ReportQueryRepository } from './report-query-repository.js';
import type { ReportRepository } from './report-repository.js';
import type { RunRepository } from './run-repository.js';
import type { WaiverRepository } from './waiver-repository.js';

/**
 * vigie's history, one repository per area, all on one database (one handle, one transaction
 * discipline, one error guard: every failure is a StorageError naming the file and what to do).
 * Repositories speak the domain's types only: a second backend implements the same interfaces.
 */
export interface Store {
  runs: RunRepository;
  /** Names found by `vigie discover` (their runs are saved through it, as `discovery` runs). */
  discovery: DiscoveryRepository;
  findings: FindingRepository;
  waivers: WaiverRepository;
  reports: ReportRepository;
  /** Reads for the report of a large estate: pages and counts, never the whole estate. */
  reportQueries: ReportQueryRepository;
  outbox: OutboxRepository;
  daemon: DaemonRepository;
  playbooks: PlaybookRepository;
  incidents: IncidentRepository;
  githubLinks: GithubLinkRepository;
  /** Closes the database; the repositories cannot be used afterwards. */
  close(): Promise<void>;
}
