import type { Severity } from './severity.js';

export type Category = 'tls' | 'http' | 'services' | 'dns' | 'scan';
export type EvidenceParams = Record<string, string | number | boolean>;

/** What a check reports: the check, where, and what was observed (structured, rendered from the catalogue). */
export interface RawFinding {
  checkId: string;
  host: string;
  port: number;
  assetId?: string;
  /** Distinguishes several findings of one check on one endpoint (e.g. a cookie name). */
  key?: string;
  params: EvidenceParams;
  /** Overrides the catalogue's severity (an exposure the inventory declares under `expose:` is only `info`). */
  severity?: Severity;
}

/** Which check found what, how serious it is and where: shared by the stored and the shown finding. */
export interface FindingSubject {
  checkId: string;
  severity: Severity;
  category: Category;
  host: string;
  port: number;
  assetId?: string;
}

/** A finding as users and scripts see it (the `--json` contract). */
export interface Finding extends FindingSubject {
  title: string;
  evidence: string;
  details: EvidenceParams;
  remediation: string;
  references: string[];
  playbook?: string;
  fingerprint: string;
  firstSeen: string;
  lastSeen: string;
}
