import type { Finding } from './finding.js';
import type { TlsGrade } from './grades.js';
import type { PostureIndex } from './posture.js';
import type { ErrorReason } from './outcome.js';
import type { Severity } from './severity.js';

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skipped';

export interface EndpointResult {
  host: string;
  port: number;
  address?: string;
  assetId?: string;
  status: 'assessed' | 'error' | 'timeout';
  reason?: ErrorReason;
  detail?: string;
  /** Verdict of every check planned on this endpoint. */
  checks: Record<string, CheckStatus>;
  /** Short facts for humans: negotiated protocols, certificate subject and expiry. */
  tls?: {
    protocols: string[];
    certificate?: { subject: string; issuer: string; notAfter: string };
    /** SSL Labs–style grade with its caps (scoring in README). */
    grade?: TlsGrade;
  };
  /** The page evaluated by the HTTP checks and its grade (Mozilla HTTP Observatory scoring). */
  http?: { url: string; status: number; grade?: HttpGrade };
  /** What answers on a service port. */
  service?: {
    state: 'open' | 'closed' | 'filtered';
    transport: 'tcp' | 'udp';
    service?: string;
    version?: string;
    banner?: string;
  };
  /** A domain (DNS and mail checks; `port` is 53): the records seen, for humans. */
  dns?: {
    spf?: string;
    dmarc?: string;
    mx?: string[];
    /** Issuers allowed by CAA (`issue` / `issuewild` values). */
    caa?: string[];
    /** `signed`, `unsigned`, `validated`, `bogus`, `not-validated`. */
    dnssec?: string;
    /** MTA-STS policy mode, when a policy was read. */
    mtaSts?: string;
  };
  /** An MX host: what its SMTP server announced. */
  smtp?: { banner: string; starttls: boolean };
  /** Nothing listens on this port, which was scanned by default rather than named (not a finding). */
  closed?: boolean;
  /** Probes that failed on an endpoint otherwise assessed: their checks are `error`, never `pass`. */
  errors?: { category: string; reason: ErrorReason; detail: string }[];
}

export interface HttpGrade {
  score: number;
  grade: string;
  scoringVersion: string;
  modifiers: { test: string; result: string; modifier: number; note: string }[];
}

/** The `vigie scan --json` contract (schema committed in schemas/scan-result.schema.json). */
export interface ScanResult {
  run: {
    id: string;
    startedAt: string;
    finishedAt: string;
    scoringVersion: string;
    targets: string[];
    saved: boolean;
  };
  summary: {
    endpoints: number;
    assessed: number;
    findings: number;
    bySeverity: Record<Severity, number>;
  };
  endpoints: EndpointResult[];
  findings: Finding[];
  /** The organisation posture index of this run (open, unwaived findings weighted by criticality). */
  posture?: PostureIndex;
}
